//! Owner fields (objective, KR) offer the team's names (method.md,
//! "Roles"): the field's help names them, Product Owners first, and the
//! completion key (the one that picks KRs in the sprint form) completes
//! what is typed, or steps to the next name.

use tui_input::Input;

use super::{
    Action, App, Context, Overlay,
    form::{Field, Form},
};
use crate::domain::{TeamMember, roles};

impl Form {
    /// Names the team in the owner field's help, with the key that
    /// completes; a form without an owner field or a team is left alone.
    pub fn offering_owners(mut self, team: &[TeamMember], key: Option<&str>) -> Self {
        if team.is_empty() {
            return self;
        }
        let names: Vec<String> = roles::owner_names(team)
            .into_iter()
            .map(|name| match team.iter().find(|member| member.name == name && member.roles.product_owner) {
                Some(_) => format!("{name} (PO)"),
                None => name,
            })
            .collect();
        // Short, to fit under the field: "ctrl-t: Priya (PO), Marco, Sofia".
        let key = key.map(|key| format!("{key}: ")).unwrap_or_else(|| "the team: ".to_owned());
        if let Some(field) = self.fields.iter_mut().find(|field| field.key == Field::Owner) {
            field.help = format!("{key}{}", names.join(", ")).into();
        }
        self
    }

    /// Completes the owner field from the team's names; false when the
    /// focused field is not an owner or no name fits.
    pub fn complete_owner(&mut self, team: &[TeamMember]) -> bool {
        let Some(field) = self.fields.get_mut(self.focused).filter(|field| field.key == Field::Owner) else { return false };
        let names = roles::owner_names(team);
        let Some(name) = roles::next_owner(field.input.value(), &names) else { return false };
        field.input = Input::new(name.to_owned());
        true
    }
}

impl App {
    /// The completion key in a form: the owner field takes the team's next name.
    pub(super) fn complete_owner_in_form(&mut self) -> bool {
        let team = self.board.as_ref().map(|board| board.team.clone()).unwrap_or_default();
        match self.overlays.last_mut() {
            Some(Overlay::Form(form)) => form.complete_owner(&team),
            _ => false,
        }
    }

    /// An objective or KR form, offering the team's names as owners.
    pub(super) fn with_owners(&self, form: Form) -> Form {
        let team = self.board.as_ref().map(|board| board.team.as_slice()).unwrap_or_default();
        let key = self.keymap.keys_label(Context::Form, Action::PickKrs);
        form.offering_owners(team, key.as_deref())
    }
}
