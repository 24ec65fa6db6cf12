//! The method's roles on the team (method.md, "Roles"): the Product Owner
//! often owns the OKRs and decides the split, the Scrum Master keeps the
//! check-ins and the rhythm, an OKR champion may coach. Any member may hold
//! several; the team screen records them and owner fields offer the names.

use super::TeamMember;

/// Which of the method's roles one member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles {
    pub product_owner: bool,
    pub scrum_master: bool,
    pub okr_champion: bool,
}

/// Each role: its short word (typed in the member form), and its name.
const ROLE_WORDS: [(&str, &str); 3] = [("po", "Product Owner"), ("sm", "Scrum Master"), ("champion", "OKR champion")];

impl Roles {
    fn held(self) -> [bool; 3] {
        [self.product_owner, self.scrum_master, self.okr_champion]
    }

    pub fn is_empty(self) -> bool {
        self == Self::default()
    }

    /// As the member form shows them: `po, sm`.
    pub fn words(self) -> String {
        ROLE_WORDS.iter().zip(self.held()).filter(|(_, held)| *held).map(|((word, _), _)| *word).collect::<Vec<_>>().join(", ")
    }

    /// In full: `Product Owner, Scrum Master`.
    pub fn names(self) -> String {
        ROLE_WORDS.iter().zip(self.held()).filter(|(_, held)| *held).map(|((_, name), _)| *name).collect::<Vec<_>>().join(", ")
    }

    /// What the member form takes: short words or full names, separated by
    /// commas or spaces, in any case (`PO, champion`, `Scrum Master`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut roles = Self::default();
        // Full names come word by word: "Product Owner" is "product" and "owner".
        let lower = text.to_lowercase();
        let mut unknown = Vec::new();
        for part in lower.split([',', ' ', ';', '/']).filter(|part| !part.is_empty()) {
            match part {
                "po" | "product" | "owner" => roles.product_owner = true,
                "sm" | "scrum" | "master" => roles.scrum_master = true,
                "champion" | "okr" | "coach" => roles.okr_champion = true,
                other => unknown.push(other.to_owned()),
            }
        }
        if unknown.is_empty() { Ok(roles) } else { Err(format!("\"{}\" is not a role: po, sm or champion", unknown.join(" "))) }
    }
}

/// Who on `team` holds each role, in one line that fits the team screen:
/// `Product Owner Priya · Scrum Master Sofia · OKR champion nobody`.
pub fn summary(team: &[TeamMember]) -> String {
    ROLE_WORDS
        .iter()
        .enumerate()
        .map(|(index, (_, role))| {
            let holders: Vec<&str> =
                team.iter().filter(|member| member.roles.held()[index]).map(|member| member.name.as_str()).collect();
            let holders = if holders.is_empty() { "nobody".to_owned() } else { holders.join(", ") };
            format!("{role} {holders}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The names an owner field offers: the team's, those holding the Product
/// Owner role first (they often own the OKRs), each once.
pub fn owner_names(team: &[TeamMember]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let product_owners = team.iter().filter(|member| member.roles.product_owner);
    for member in product_owners.chain(team.iter()) {
        if !names.contains(&member.name) {
            names.push(member.name.clone());
        }
    }
    names
}

/// What an owner field holds after the completion key: with nothing
/// typed, the first name; with a name's beginning typed, that name (case
/// aside); on a name already whole, the next one, round again. `None` when
/// the team has no name that fits.
pub fn next_owner<'a>(typed: &str, names: &'a [String]) -> Option<&'a str> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return names.first().map(String::as_str);
    }
    if let Some(whole) = names.iter().position(|name| name.to_lowercase() == typed) {
        return names.get((whole + 1) % names.len()).map(String::as_str);
    }
    names.iter().find(|name| name.to_lowercase().starts_with(&typed)).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, roles: Roles) -> TeamMember {
        TeamMember { id: 1, name: name.into(), focus_factor: 70, days_off: Vec::new(), roles }
    }

    const PO: Roles = Roles { product_owner: true, scrum_master: false, okr_champion: false };
    const SM: Roles = Roles { product_owner: false, scrum_master: true, okr_champion: false };

    #[test]
    fn roles_are_typed_as_short_words_or_names() {
        let all = Roles { product_owner: true, scrum_master: true, okr_champion: true };
        let cases = [
            ("", Ok(Roles::default())),
            ("po", Ok(PO)),
            ("PO, champion", Ok(Roles { okr_champion: true, ..PO })),
            ("Scrum Master", Ok(SM)),
            ("Product Owner, Scrum Master, OKR champion", Ok(all)),
            ("sm sm", Ok(SM)),
            ("boss", Err("\"boss\" is not a role: po, sm or champion".to_owned())),
        ];
        for (typed, expected) in cases {
            assert_eq!(Roles::parse(typed), expected, "{typed:?}");
        }
        assert_eq!(all.words(), "po, sm, champion");
        assert_eq!(Roles::parse(&all.words()), Ok(all));
        assert_eq!(PO.names(), "Product Owner");
    }

    #[test]
    fn the_summary_names_who_holds_each_role() {
        let team = [member("Ana", PO), member("Ben", Roles { okr_champion: true, ..SM }), member("Cy", Roles::default())];
        assert_eq!(summary(&team), "Product Owner Ana · Scrum Master Ben · OKR champion Ben");
        assert_eq!(summary(&team[2..]), "Product Owner nobody · Scrum Master nobody · OKR champion nobody");
    }

    #[test]
    fn owner_fields_offer_the_teams_names_product_owner_first() {
        let team = [member("Cy", Roles::default()), member("Ana", PO), member("Ben", SM)];
        let names = owner_names(&team);
        assert_eq!(names, ["Ana", "Cy", "Ben"]);
        // (typed, what the completion key leaves)
        let cases = [
            ("", Some("Ana")),
            ("a", Some("Ana")),
            ("B", Some("Ben")),
            ("ana", Some("Cy")),
            ("Ben", Some("Ana")),
            ("Dee", None),
            (" c", Some("Cy")),
        ];
        for (typed, completion) in cases {
            assert_eq!(next_owner(typed, &names), completion, "{typed:?}");
        }
        assert_eq!(next_owner("", &[]), None);
    }
}
