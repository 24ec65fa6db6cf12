//! The typed ids (`ItemId`, `SprintId`, ...; `domain::ids`) bind to SQL and
//! read from a row as their row id does, so converting a store call from
//! `Id` to its typed id changes its signature and nothing in its SQL:
//! `params![item]` and `row.get::<_, ItemId>(0)` just work. The domain
//! stays free of SQLite; the bridge lives here.

use rusqlite::{
    ToSql,
    types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef},
};

use crate::domain::{
    Id,
    ids::{CheckInId, ItemId, KeyResultId, MemberId, ObjectiveId, QuarterId, RetroNoteId, SprintId},
};

macro_rules! sql_id {
    ($($name:ident),*) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                Id::column_result(value).map($name)
            }
        }
    )*};
}

sql_id!(QuarterId, ObjectiveId, KeyResultId, CheckInId, SprintId, ItemId, RetroNoteId, MemberId);

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use crate::domain::ids::{ItemId, SprintId};

    #[test]
    fn a_typed_id_binds_and_reads_as_its_row_id() {
        let conn = Connection::open_in_memory().expect("memory");
        let (item, sprint): (ItemId, SprintId) = conn
            .query_row("SELECT ?1, ?2 + 1", rusqlite::params![ItemId(42), SprintId(2)], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("read back");
        assert_eq!((item, sprint), (ItemId(42), SprintId(3)));
    }
}
