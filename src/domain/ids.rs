//! One id type per kind of object, over the row id (architecture.md).
//!
//! Only the resolver (`Store::resolve`) returns them so far: a function
//! that takes an `ItemId` cannot be handed a sprint's row id by mistake.
//! The rest of the code base still passes `Id`; converting it is a later,
//! file-by-file step (each store call and the app's selection in turn).
//! They bind to SQL and read from a row as their row id does
//! (`store/typed_ids.rs`), so a store call converts without touching its SQL.

use std::fmt;

use super::Id;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Id);

        impl $name {
            /// The row id, for SQL and for code that still takes `Id`.
            pub fn row(self) -> Id {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(/// A quarter's row id.
    QuarterId);
id_type!(/// An objective's row id.
    ObjectiveId);
id_type!(/// A key result's row id.
    KeyResultId);
id_type!(/// A check-in's row id.
    CheckInId);
id_type!(/// A sprint's row id.
    SprintId);
id_type!(/// An item's row id, which is also its number (`#42`).
    ItemId);
id_type!(/// A retro note's row id.
    RetroNoteId);
id_type!(/// A team member's row id.
    MemberId);
