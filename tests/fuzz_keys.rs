//! Fuzzing the board in-process (as tests/screens.rs drives it): random
//! sequences of keys, typed text (hostile and wide characters among it),
//! pastes and resizes, from tiny to wide, into the demo board. Each case
//! ends within a time bound, nothing panics, every frame draws, and the
//! board file is whole after it. tests/screens.rs checks which screen is
//! drawn after random keys; this test adds text, pastes and sizes.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "fuzz/mutate.rs"]
mod mutate;

use common::{board_path, demo_store, render};
use proptest::prelude::*;
use quarterdeck::store::Store;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// Every key the default keymap binds somewhere, and letters to type.
const CHARACTERS: &str = "jkhlgGKJTBsSpfaedtmvcirHPRLnQ[]u?123/,CDNVyAWbIUXMYozOwx0 -.é漢🇸";

/// Text a user may type or paste: plain, wide, invisible and hostile.
const TEXTS: &[&str] = &[
    "Export CSV",
    "\u{1b}[31mred\u{1b}]0;pwned\u{7}",
    "\u{202e}evil\u{2066}",
    "🇸🇪👩‍👩‍👧 漢字 e\u{301}",
    "a\u{200b}b\u{ad}c\u{feff}",
    "line one\nline two\r\n",
    "\u{85}\u{9b}2J",
    "12",
    "-5",
    "2027-02-30",
];

fn event() -> impl Strategy<Value = Event> {
    let characters: Vec<char> = CHARACTERS.chars().collect();
    let named = vec![
        KeyCode::Esc,
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
    ];
    let key = |code, modifiers| Event::Key(KeyEvent::new(code, modifiers));
    prop_oneof![
        8 => prop::sample::select(characters).prop_map(move |ch| {
            let shift = if ch.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            key(KeyCode::Char(ch), shift)
        }),
        4 => prop::sample::select(named).prop_map(move |code| key(code, KeyModifiers::NONE)),
        // Not `c`: ctrl-c quits, which would end most cases early.
        1 => prop::sample::select(vec!['y', 'g', 's', 'k', 'n', 'r', 't', 'e', 'd', 'u', 'z'])
            .prop_map(move |ch| key(KeyCode::Char(ch), KeyModifiers::CONTROL)),
        1 => prop::sample::select(TEXTS.to_vec()).prop_map(|text| Event::Paste(text.to_owned())),
        1 => (prop_oneof![1_u16..25, 55_u16..200], prop_oneof![1_u16..8, 14_u16..60]).prop_map(|(w, h)| Event::Resize(w, h)),
    ]
}

/// Drives a fresh demo board through `events`, drawing after each; the
/// board file's integrity is checked after.
fn drive(events: Vec<Event>) {
    mutate::within("keys into the board", move || {
        let (_dir, path) = board_path();
        drop(demo_store(&path));
        let mut app = common::app_at(&path, 100, 30);
        for event in &events {
            app.handle_event(event);
            if app.should_quit {
                break;
            }
            let _ = render(&app);
        }
        drop(app);
        assert_eq!(Store::open(&path).unwrap().integrity_check().unwrap(), "ok");
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn keys_text_pastes_and_resizes_never_panic_or_hang(events in prop::collection::vec(event(), 1..80)) {
        drive(events);
    }
}
