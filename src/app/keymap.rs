//! Keys to actions, per context. The defaults are embedded from
//! `assets/keymap.toml`; a user's file with the same shape is layered over
//! them, and a key bound twice in one context is an error naming both.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, bail};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Context};

const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// A key with its modifiers, normalised so that `G` and `shift-g` match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Self {
        Self::normalised(event.code, event.modifiers)
    }

    fn normalised(code: KeyCode, modifiers: KeyModifiers) -> Self {
        // Shift is already in an upper-case letter or in BackTab itself.
        let modifiers = match code {
            KeyCode::Char(_) | KeyCode::BackTab => modifiers - KeyModifiers::SHIFT,
            // Two Esc presses that reach the terminal together read as
            // alt-esc: each is an Esc all the same.
            KeyCode::Esc => modifiers - KeyModifiers::ALT,
            _ => modifiers,
        };
        Self { code, modifiers: modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT) }
    }

    /// Parses `q`, `G`, `ctrl-c`, `shift-tab`, `pagedown`, ...
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            modifiers |= flag;
            rest = &rest[len..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) => KeyCode::Char(ch),
                    _ => bail!("unknown key \"{text}\": use a single character or a key name such as enter, esc or pagedown"),
                }
            }
        };
        Ok(Self::normalised(code, modifiers))
    }

    /// Whether the key types a character: a letter, digit, sign or space,
    /// with no ctrl or alt (shift is part of the character).
    pub fn is_plain_character(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && self.modifiers.is_empty()
    }

    /// How the help and the hint bar write the key.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Enter => "enter".to_owned(),
            KeyCode::Esc => "esc".to_owned(),
            KeyCode::Tab => "tab".to_owned(),
            KeyCode::BackTab => "shift-tab".to_owned(),
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Backspace => "backspace".to_owned(),
            KeyCode::Delete => "delete".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Home => "home".to_owned(),
            KeyCode::End => "end".to_owned(),
            KeyCode::PageUp => "pgup".to_owned(),
            KeyCode::PageDown => "pgdn".to_owned(),
            KeyCode::Char(ch) => ch.to_string(),
            other => format!("{other:?}").to_lowercase(),
        };
        let mut label = String::new();
        for (flag, prefix) in [(KeyModifiers::CONTROL, "ctrl-"), (KeyModifiers::ALT, "alt-"), (KeyModifiers::SHIFT, "shift-")] {
            if self.modifiers.contains(flag) {
                label.push_str(prefix);
            }
        }
        label + &name
    }
}

/// The shape of a keymap file: context -> action -> keys.
type KeymapFile = BTreeMap<Context, BTreeMap<Action, Vec<String>>>;

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<(Context, Key), Action>,
    /// Keys of each action per context, in file order, for help and hints.
    listing: BTreeMap<Context, BTreeMap<Action, Vec<Key>>>,
}

/// Where a keymap's right spellings are, for a message about the user's:
/// every context, action and key name, with the defaults.
pub const KEYMAP_HELP: &str =
    "README.md, \"Keys\", shows its shape; the defaults are assets/keymap.toml, and `?` on the board lists each action's keys";

impl Keymap {
    /// The embedded defaults.
    pub fn default_keys() -> anyhow::Result<Self> {
        Self::layered(None)
    }

    /// The defaults with a user's keymap (its text and its path) over them:
    /// the user's keys for an action replace the default keys of that action.
    pub fn layered(user: Option<(&str, &str)>) -> anyhow::Result<Self> {
        let mut file: KeymapFile = toml::from_str(DEFAULT_KEYMAP).context("reading the built-in keymap")?;
        let Some((text, path)) = user else { return Self::from_file(file, "the built-in keymap") };
        let overrides: KeymapFile = toml::from_str(text).with_context(|| format!("reading keymap {path} ({KEYMAP_HELP})"))?;
        let presents_itself = overrides.get(&Context::Present).is_some_and(|actions| actions.contains_key(&Action::Present));
        for (context, actions) in overrides {
            file.entry(context).or_default().extend(actions);
        }
        if !presents_itself {
            follow_the_boards_present_key(&mut file);
        }
        // Every error below is in the user's file: each names it.
        Self::from_file(file, &format!("keymap {path}"))
    }

    /// The keymap of `file`, whose errors name `source` (the user's file).
    fn from_file(file: KeymapFile, source: &str) -> anyhow::Result<Self> {
        let mut keymap = Self { bindings: HashMap::new(), listing: BTreeMap::new() };
        // A way out left with no key (`quit = []`) would lock the user in.
        let unbound = file.iter().flat_map(|(context, actions)| {
            actions
                .iter()
                .filter(|(action, keys)| keys.is_empty() && is_essential(*context, **action))
                .map(|(action, _)| (*context, *action))
        });
        if let Some((context, action)) = unbound.into_iter().next() {
            bail!(
                "{source}: [{}] {} has no key, which would leave no way to {}; give it a key (the default is {})",
                serde_name(context),
                serde_name(action),
                essential_purpose(action),
                default_keys_of(context, action)
            );
        }
        for (context, actions) in file {
            for (action, keys) in actions {
                if !context.accepts(action) {
                    bail!("{source}: {} means nothing in [{}]; remove it from there", serde_name(action), serde_name(context));
                }
                for text in keys {
                    let key = Key::parse(&text)
                        .with_context(|| format!("{source}: [{}] {}", serde_name(context), serde_name(action)))?;
                    // Typing goes to a field there: a bound letter could never be typed.
                    if context.is_text_entry() && key.is_plain_character() {
                        bail!(
                            "{source}: key \"{}\" for {} in [{}] would make \"{}\" impossible to type there; \
                             use a key with ctrl or alt, or a named key such as enter",
                            text,
                            serde_name(action),
                            serde_name(context),
                            key.label()
                        );
                    }
                    if let Some(other) = keymap.bindings.insert((context, key), action)
                        && other != action
                    {
                        bail!(
                            "{source}: key \"{}\" is bound to both {} and {} in [{}]; bind it to one of them",
                            key.label(),
                            serde_name(other),
                            serde_name(action),
                            serde_name(context)
                        );
                    }
                    keymap.listing.entry(context).or_default().entry(action).or_default().push(key);
                }
            }
        }
        Ok(keymap)
    }

    pub fn action(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        self.bindings.get(&(context, Key::from_event(event))).copied()
    }

    /// Every action of `context` with its keys, as help lists them.
    pub fn bindings(&self, context: Context) -> impl Iterator<Item = (Action, &[Key])> {
        self.listing.get(&context).into_iter().flat_map(|actions| actions.iter().map(|(action, keys)| (*action, keys.as_slice())))
    }

    /// The first key of one action, as the hint bar writes it (help lists all).
    /// `None` when the user's keymap left the action without a key.
    pub fn keys_label(&self, context: Context, action: Action) -> Option<String> {
        Some(self.listing.get(&context)?.get(&action)?.first()?.label())
    }

    /// The key a message names for `action` in `context`: its first key
    /// there, else the board's; a keymap that left it without a key gets
    /// words saying so, never a default the user does not have.
    pub fn key(&self, context: Context, action: Action) -> String {
        self.keys_label(context, action)
            .or_else(|| self.keys_label(Context::Board, action))
            .unwrap_or_else(|| format!("({} has no key)", serde_name(action)))
    }

    /// `text` with each `{action}` (an action's name in the keymap file,
    /// such as `{undo}`) replaced by its key in `context`: help lines and
    /// messages written once name whatever key the user has.
    pub fn fill(&self, context: Context, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name = after.find('}').map(|close| &after[..close]);
            match name
                .and_then(|name| toml::Value::String(name.to_owned()).try_into::<Action>().ok().map(|action| (name, action)))
            {
                Some((name, action)) => {
                    out.push_str(&self.key(context, action));
                    rest = &after[name.len() + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Whether `action` must keep a key in `context`: quitting and help on
/// the board and the welcome screen, and the way out of every other
/// screen and dialog (back, cancel, no). Without them a keymap could lock
/// a user in, so such a keymap is refused.
fn is_essential(context: Context, action: Action) -> bool {
    match context {
        Context::Board | Context::Welcome => matches!(action, Action::Quit | Action::Help),
        _ => matches!(action, Action::Back | Action::Cancel | Action::No),
    }
}

/// What an essential action is for, as the refusal says it.
fn essential_purpose(action: Action) -> &'static str {
    match action {
        Action::Quit => "quit",
        Action::Help => "see the keys",
        _ => "leave it",
    }
}

/// The built-in keys of `action` in `context`, as the file writes them.
fn default_keys_of(context: Context, action: Action) -> String {
    let file: Option<KeymapFile> = toml::from_str(DEFAULT_KEYMAP).ok();
    let keys = file.and_then(|mut file| file.remove(&context)?.remove(&action)).unwrap_or_default();
    format!("[{}]", keys.iter().map(|key| format!("\"{key}\"")).collect::<Vec<_>>().join(", "))
}

/// The presentation over the board closes with the key that opened it:
/// unless the user's file binds `present` in `[present]` itself, that
/// section's `present` keys are the board's (a key `[present]` already
/// gives another action keeps that action).
fn follow_the_boards_present_key(file: &mut KeymapFile) {
    let Some(opening) = file.get(&Context::Board).and_then(|actions| actions.get(&Action::Present)).cloned() else {
        return;
    };
    let section = file.entry(Context::Present).or_default();
    let taken = |text: &String| {
        let key = Key::parse(text).ok();
        section.iter().any(|(action, keys)| {
            *action != Action::Present && keys.iter().any(|other| Key::parse(other).ok().is_some_and(|other| Some(other) == key))
        })
    };
    let closing: Vec<String> = opening.iter().filter(|text| !taken(text)).cloned().collect();
    section.insert(Action::Present, closing);
}

fn serde_name<T: serde::Serialize>(value: T) -> String {
    toml::Value::try_from(value).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyEvent;

    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_bind_the_documented_keys() {
        let keymap = Keymap::default_keys().expect("defaults parse");
        let board = |code, modifiers| keymap.action(Context::Board, &press(code, modifiers));
        assert_eq!(board(KeyCode::Char('q'), KeyModifiers::NONE), Some(Action::Quit));
        assert_eq!(board(KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Action::Quit));
        assert_eq!(board(KeyCode::Tab, KeyModifiers::NONE), Some(Action::NextPane));
        assert_eq!(board(KeyCode::BackTab, KeyModifiers::SHIFT), Some(Action::PreviousPane));
        assert_eq!(board(KeyCode::Char('G'), KeyModifiers::SHIFT), Some(Action::Last));
        assert_eq!(board(KeyCode::Char('2'), KeyModifiers::NONE), Some(Action::FocusTimeline));
        assert_eq!(board(KeyCode::PageDown, KeyModifiers::NONE), Some(Action::PageDown));
        assert_eq!(board(KeyCode::Char('x'), KeyModifiers::NONE), None);
    }

    #[test]
    fn a_user_file_replaces_an_actions_keys() {
        let keymap = Keymap::layered(Some(("[board]\nquit = [\"ctrl-q\"]\n", "mine.toml"))).expect("valid");
        assert_eq!(keymap.action(Context::Board, &press(KeyCode::Char('q'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(keymap.action(Context::Board, &press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn a_conflict_names_both_actions() {
        let error = Keymap::layered(Some(("[board]\nhelp = [\"q\"]\n", "mine.toml"))).expect_err("conflict").to_string();
        assert!(error.contains("quit") && error.contains("help") && error.contains("\"q\""), "{error}");
    }

    #[test]
    fn unknown_keys_and_actions_are_refused() {
        assert!(Keymap::layered(Some(("[board]\nquit = [\"hyper-q\"]\n", "k.toml"))).is_err());
        let error = format!("{:#}", Keymap::layered(Some(("[board]\nfly = [\"f\"]\n", "k.toml"))).expect_err("unknown"));
        assert!(error.contains("k.toml"), "{error}");
    }

    #[test]
    fn dialogs_keep_their_keys_of_today() {
        let keymap = Keymap::default_keys().expect("defaults parse");
        let action = |context, code| keymap.action(context, &press(code, KeyModifiers::NONE));
        assert_eq!(action(Context::Form, KeyCode::Enter), Some(Action::Save));
        assert_eq!(action(Context::Form, KeyCode::Down), Some(Action::NextField));
        assert_eq!(keymap.action(Context::Form, &press(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PreviousField));
        assert_eq!(keymap.action(Context::Form, &press(KeyCode::Char('t'), KeyModifiers::CONTROL)), Some(Action::PickKrs));
        assert_eq!(action(Context::Form, KeyCode::Char('j')), None, "a letter types into the field");
        assert_eq!(action(Context::Picker, KeyCode::Char('j')), Some(Action::MoveDown));
        assert_eq!(action(Context::Picker, KeyCode::Char(' ')), Some(Action::Toggle));
        assert_eq!(action(Context::Picker, KeyCode::Esc), Some(Action::Cancel));
        assert_eq!(keymap.action(Context::Confirm, &press(KeyCode::Char('Y'), KeyModifiers::SHIFT)), Some(Action::Yes));
        assert_eq!(action(Context::Confirm, KeyCode::Char('q')), Some(Action::No));
        assert_eq!(action(Context::Confirm, KeyCode::Char('d')), None);
        // A question before a delete is answered yes only by y: Enter,
        // pressed out of habit or after a key that did not apply, is not yes.
        assert_eq!(action(Context::Confirm, KeyCode::Enter), None);
        assert_eq!(action(Context::Search, KeyCode::Enter), Some(Action::KeepSearch));
        assert_eq!(action(Context::Search, KeyCode::Esc), Some(Action::ClearSearch));
        assert_eq!(keymap.keys_label(Context::Confirm, Action::No).as_deref(), Some("n"), "the first key is the hint's");
    }

    #[test]
    fn fill_names_the_users_keys() {
        let keymap = Keymap::layered(Some(("[board]\nundo = [\"z\"]\n[review]\nundo = []\n", "mine.toml"))).expect("valid");
        assert_eq!(keymap.fill(Context::Board, "{undo} brings it back; {help} helps"), "z brings it back; ? helps");
        assert_eq!(keymap.fill(Context::Review, "{undo} brings it back"), "z brings it back", "the board's key");
        assert_eq!(keymap.fill(Context::Board, "{not_an_action} {"), "{not_an_action} {");
        let unbound = Keymap::layered(Some(("[board]\nundo = []\n[review]\nundo = []\n", "mine.toml"))).expect("valid");
        assert_eq!(unbound.key(Context::Board, Action::Undo), "(undo has no key)");
    }

    #[test]
    fn a_user_file_rebinds_a_dialog_key() {
        let keymap = Keymap::layered(Some(("[form]\nsave = [\"ctrl-s\"]\n", "mine.toml"))).expect("valid");
        assert_eq!(keymap.action(Context::Form, &press(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(Action::Save));
        assert_eq!(keymap.action(Context::Form, &press(KeyCode::Enter, KeyModifiers::NONE)), None);
        assert_eq!(keymap.keys_label(Context::Form, Action::Save).as_deref(), Some("ctrl-s"));
        assert_eq!(keymap.action(Context::Board, &press(KeyCode::Enter, KeyModifiers::NONE)), Some(Action::OpenDetail));
    }

    #[test]
    fn a_plain_character_in_a_text_entry_context_is_refused() {
        for (file, context, key, action) in [
            ("[form]\nsave = [\"s\"]\n", "form", "\"s\"", "save"),
            ("[form]\nnext_field = [\"shift-j\"]\n", "form", "\"shift-j\"", "next_field"),
            ("[search]\nkeep_search = [\"space\"]\n", "search", "\"space\"", "keep_search"),
        ] {
            let error = format!("{:#}", Keymap::layered(Some((file, "mine.toml"))).expect_err("refused"));
            for part in [context, key, action, "impossible to type"] {
                assert!(error.contains(part), "{part} missing from: {error}");
            }
        }
        // Keys with ctrl or alt, and named keys, are fine there; letters are fine in a picker.
        assert!(Keymap::layered(Some(("[form]\nsave = [\"alt-s\", \"ctrl-enter\"]\n", "k.toml"))).is_ok());
        assert!(Keymap::layered(Some(("[picker]\nchoose = [\"o\"]\n", "k.toml"))).is_ok());
    }

    #[test]
    fn an_action_bound_where_it_means_nothing_is_refused() {
        let error = format!("{:#}", Keymap::layered(Some(("[board]\nsave = [\"ctrl-s\"]\n", "k.toml"))).expect_err("refused"));
        assert!(error.contains("save") && error.contains("[board]"), "{error}");
        let error = format!("{:#}", Keymap::layered(Some(("[picker]\nquit = [\"ctrl-c\"]\n", "k.toml"))).expect_err("refused"));
        assert!(error.contains("quit") && error.contains("[picker]"), "{error}");
        // The presentation never writes: no key of it may edit.
        let error = format!("{:#}", Keymap::layered(Some(("[present]\ndelete = [\"d\"]\n", "k.toml"))).expect_err("refused"));
        assert!(error.contains("delete") && error.contains("[present]"), "{error}");
        assert!(Keymap::layered(Some(("[present]\nnext_pane = [\"n\", \"right\"]\n", "k.toml"))).is_ok());
    }

    #[test]
    fn the_presentation_closes_with_the_boards_present_key() {
        let keymap = Keymap::layered(Some(("[board]\npresent = [\"^\"]\n", "k.toml"))).expect("valid");
        assert_eq!(keymap.action(Context::Present, &press(KeyCode::Char('^'), KeyModifiers::NONE)), Some(Action::Present));
        assert_eq!(keymap.action(Context::Present, &press(KeyCode::Char('P'), KeyModifiers::SHIFT)), None);
        assert_eq!(keymap.keys_label(Context::Present, Action::Present).as_deref(), Some("^"));
        // A key the presentation gives another action keeps it.
        let keymap = Keymap::layered(Some(("[board]\npresent = [\"space\", \"^\"]\n", "k.toml"))).expect("valid");
        assert_eq!(keymap.action(Context::Present, &press(KeyCode::Char(' '), KeyModifiers::NONE)), Some(Action::PageDown));
        assert_eq!(keymap.keys_label(Context::Present, Action::Present).as_deref(), Some("^"));
        // The user's own `[present] present` wins.
        let keymap =
            Keymap::layered(Some(("[board]\npresent = [\"^\"]\n[present]\npresent = [\"x\"]\n", "k.toml"))).expect("valid");
        assert_eq!(keymap.keys_label(Context::Present, Action::Present).as_deref(), Some("x"));
    }

    #[test]
    fn a_bad_key_names_the_users_file_and_where_in_it() {
        let error =
            format!("{:#}", Keymap::layered(Some(("[present]\nnext_pane = [\"hyper-n\"]\n", "mine.toml"))).expect_err("bad"));
        assert!(error.contains("mine.toml") && error.contains("[present] next_pane") && error.contains("hyper-n"), "{error}");
    }

    #[test]
    fn a_keymap_that_leaves_a_way_out_without_a_key_is_refused_naming_it() {
        for (text, named) in [
            ("[board]\nquit = []\n", "keymap k.toml: [board] quit has no key, which would leave no way to quit"),
            ("[board]\nhelp = []\n", "[board] help has no key"),
            ("[form]\ncancel = []\n", "[form] cancel has no key, which would leave no way to leave it"),
            ("[review]\nback = []\n", "[review] back has no key"),
            ("[confirm]\nno = []\n", "[confirm] no has no key"),
        ] {
            let error = Keymap::layered(Some((text, "k.toml"))).expect_err(text).to_string();
            assert!(error.contains(named), "{error}");
        }
        // A screen's own quit may go: its way back remains.
        assert!(Keymap::layered(Some(("[review]\nquit = []\n", "k.toml"))).is_ok());
        assert!(Keymap::layered(Some(("[board]\nquit = [\"x\"]\n", "k.toml"))).is_ok());
    }
}
