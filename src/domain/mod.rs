//! The method's objects and pure rules (see `shared/docs/method.md`).
//!
//! Nothing in here does I/O or drawing: every function is a calculation on
//! plain values, so the rules can be tested table-driven and reused by the
//! store, the UI and the command line alike.

pub mod calendar;
pub mod capacity;
pub mod charts;
pub mod check_ins;
pub mod codes;
pub mod external;
pub mod forecast;
pub mod health;
pub mod ids;
pub mod labels;
pub mod method;
pub mod okr;
pub mod planning;
pub mod quarter_close;
pub mod references;
pub mod retro;
pub mod review;
pub mod roles;
pub mod rules;
pub mod settings;
pub mod standing;
pub mod sync_status;
pub mod types;
pub mod validate;
pub mod values;

/// Space left between the ranks of neighbouring items, so that an item can
/// later be moved between two others by writing its own rank only: the
/// store ranks by it, and a three-way merge re-ranks by it.
pub const RANK_GAP: i64 = 1 << 16;

pub use calendar::{SprintDates, plan_sprints, quarter_label, working_day_of};
pub use okr::{Pace, kr_progress, objective_progress, pace};
pub use quarter_close::{Closing, QuarterState, ScoreBand};
pub use rules::{copied_kr, m10_explanation, quoted};
pub use types::*;
