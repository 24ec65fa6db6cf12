//! The team behind the sprints' capacity: members, their focus factor and
//! their days off per sprint. Each edit is one recorded user action.

use rusqlite::{Transaction, params};

use super::Store;
use super::StoreError;
use crate::domain::{
    Id, TeamMember,
    roles::Roles,
    values::{Capacity, DaysOff, FocusFactor},
};

/// A member's fields, as the member form edits them.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberFields {
    pub name: String,
    pub focus_factor: FocusFactor,
    /// Days off per sprint id; 0 means none.
    pub days_off: Vec<(Id, DaysOff)>,
    pub roles: Roles,
}

/// The fields of a member form the user changed (`None`: as the file has
/// it); `days_off` holds only the sprints whose days the user changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberChanges {
    pub name: Option<String>,
    pub focus_factor: Option<FocusFactor>,
    pub days_off: Vec<(Id, DaysOff)>,
    pub roles: Option<Roles>,
}

impl Store {
    /// The quarter's team in the order it was added, with days off.
    pub(super) fn load_team(&self, quarter_id: Id) -> rusqlite::Result<Vec<TeamMember>> {
        let mut team: Vec<TeamMember> = self
            .conn
            .prepare_cached(
                "SELECT id, name, focus_factor, product_owner, scrum_master, okr_champion
                 FROM team_member WHERE quarter_id = ?1 ORDER BY id",
            )?
            .query_map([quarter_id], |row| {
                let focus: i64 = super::clean::whole(row, 2)?;
                let id: Id = row.get(0)?;
                Ok(TeamMember {
                    id,
                    name: self.text_of(row, 1, || format!("Team member #{id}: name"))?,
                    focus_factor: u8::try_from(focus.clamp(0, 100)).unwrap_or(100),
                    days_off: Vec::new(),
                    roles: Roles {
                        product_owner: super::clean::whole::<i64>(row, 3)? != 0,
                        scrum_master: super::clean::whole::<i64>(row, 4)? != 0,
                        okr_champion: super::clean::whole::<i64>(row, 5)? != 0,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut days_off = self.conn.prepare_cached(
            "SELECT d.sprint_id, d.days FROM days_off d JOIN sprint s ON s.id = d.sprint_id
             WHERE d.member_id = ?1 ORDER BY s.number",
        )?;
        for member in &mut team {
            member.days_off =
                days_off.query_map([member.id], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        }
        Ok(team)
    }

    pub fn add_member(&mut self, quarter_id: Id, fields: &MemberFields, label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Quarter, quarter_id)?;
            tx.execute(
                "INSERT INTO team_member (quarter_id, name, focus_factor, product_owner, scrum_master, okr_champion)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    quarter_id,
                    fields.name,
                    fields.focus_factor.get(),
                    fields.roles.product_owner,
                    fields.roles.scrum_master,
                    fields.roles.okr_champion
                ],
            )?;
            let id = tx.last_insert_rowid();
            write_days_off(tx, id, &fields.days_off)?;
            Ok(id)
        })
    }

    /// Writes the fields the user changed onto the member as the file has them now.
    pub fn update_member(&mut self, id: Id, changes: &MemberChanges, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Member, id)?;
            let rows = tx.execute(
                "UPDATE team_member SET name = coalesce(?1, name), focus_factor = coalesce(?2, focus_factor),
                        product_owner = coalesce(?4, product_owner), scrum_master = coalesce(?5, scrum_master),
                        okr_champion = coalesce(?6, okr_champion)
                 WHERE id = ?3",
                params![
                    changes.name,
                    changes.focus_factor.map(FocusFactor::get),
                    id,
                    changes.roles.map(|roles| roles.product_owner),
                    changes.roles.map(|roles| roles.scrum_master),
                    changes.roles.map(|roles| roles.okr_champion)
                ],
            )?;
            super::found(rows)?;
            write_days_off(tx, id, &changes.days_off)
        })
    }

    /// Deletes a member with their days off.
    pub fn delete_member(&mut self, id: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Member, id)?;
            // Said outright rather than left to the cascade, so the history
            // logs each row and undo puts them back.
            tx.execute("DELETE FROM days_off WHERE member_id = ?1", [id])?;
            tx.execute("DELETE FROM team_member WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Sets a sprint's capacity alone, such as to the team's suggestion.
    pub fn set_sprint_capacity(&mut self, sprint: Id, capacity: Capacity, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, sprint)?;
            tx.execute("UPDATE sprint SET capacity = ?1 WHERE id = ?2 AND capacity != ?1", params![capacity.get(), sprint])?;
            Ok(())
        })
    }
}

/// Writes only what changed: a sprint's days off are set, changed or
/// cleared (0), so an edit logs no more than it touched.
fn write_days_off(tx: &Transaction<'_>, member: Id, days_off: &[(Id, DaysOff)]) -> rusqlite::Result<()> {
    let mut clear = tx.prepare_cached("DELETE FROM days_off WHERE member_id = ?1 AND sprint_id = ?2")?;
    let mut set = tx.prepare_cached(
        "INSERT INTO days_off (member_id, sprint_id, days) VALUES (?1, ?2, ?3)
         ON CONFLICT (member_id, sprint_id) DO UPDATE SET days = excluded.days WHERE days != excluded.days",
    )?;
    for (sprint, days) in days_off {
        let days = days.get();
        if days > 0.0 {
            set.execute(params![member, sprint, days])?;
        } else {
            clear.execute(params![member, sprint])?;
        }
    }
    Ok(())
}
