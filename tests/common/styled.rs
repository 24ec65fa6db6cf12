//! Styled snapshots: a screen as text, then for each theme the style runs
//! of each row (where colour and emphasis are), so a snapshot shows the
//! theme and not only the words.

#![allow(dead_code, clippy::unwrap_used)]

use std::fmt::Write;

use quarterdeck::{
    app::App,
    ui::{self, Theme, ThemeName},
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    buffer::Buffer,
    style::{Color, Modifier, Style},
};

/// `app` drawn in `name`'s theme, in colour; the presentation in the same.
pub fn buffer_in(app: &App, name: ThemeName) -> Buffer {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::new(name, true).presenting_in(name);
    terminal.draw(|frame| ui::draw(frame, app, theme)).unwrap();
    terminal.backend().buffer().clone()
}

/// The text of `buffer`, a line a row, trailing blanks cut.
pub fn text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A style in a few characters: `LightCyan on Blue +BOLD`.
fn describe(style: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = style.fg.filter(|colour| *colour != Color::Reset) {
        parts.push(format!("{fg:?}"));
    }
    if let Some(bg) = style.bg.filter(|colour| *colour != Color::Reset) {
        parts.push(format!("on {bg:?}"));
    }
    for (modifier, name) in [
        (Modifier::BOLD, "+BOLD"),
        (Modifier::DIM, "+DIM"),
        (Modifier::ITALIC, "+ITALIC"),
        (Modifier::UNDERLINED, "+UNDERLINED"),
        (Modifier::REVERSED, "+REVERSED"),
    ] {
        if style.add_modifier.contains(modifier) {
            parts.push(name.to_owned());
        }
    }
    parts.join(" ")
}

/// Each row's styled runs, `row: from-to style, …`, leaving out plain
/// cells and rows with none.
pub fn runs(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut row: Vec<(u16, u16, String)> = Vec::new();
        for x in 0..buffer.area.width {
            let style = describe(buffer[(x, y)].style());
            match row.last_mut() {
                Some((_, to, last)) if *last == style && *to + 1 == x => *to = x,
                _ => row.push((x, x, style)),
            }
        }
        let styled: Vec<String> = row
            .into_iter()
            .filter(|(.., style)| !style.is_empty())
            .map(|(from, to, style)| format!("{from}-{to} {style}"))
            .collect();
        if !styled.is_empty() {
            writeln!(out, "{y:>2}: {}", styled.join(", ")).unwrap();
        }
    }
    out
}

/// Whether a colour is grey, the first thing a projector washes out.
fn grey(colour: Option<Color>) -> bool {
    matches!(colour, Some(Color::Gray | Color::DarkGray | Color::Indexed(7 | 8 | 232..=255)))
        || matches!(colour, Some(Color::Rgb(r, g, b)) if r == g && g == b && r != 0 && r != 255)
}

/// Fails naming the first cell drawn dim or grey.
pub fn assert_no_dim_or_grey(buffer: &Buffer, what: &str) {
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let style = buffer[(x, y)].style();
            assert!(
                !style.add_modifier.contains(Modifier::DIM) && !grey(style.fg) && !grey(style.bg),
                "{what}: cell {x},{y} ({:?}) is {}",
                buffer[(x, y)].symbol(),
                describe(style)
            );
        }
    }
}

/// The screen in every theme: its text once (the same in each), then each
/// theme's style runs. High contrast is checked for dim and grey here.
pub fn in_each_theme(app: &App, what: &str) -> String {
    let buffers: Vec<(ThemeName, Buffer)> = ThemeName::ALL.iter().map(|&name| (name, buffer_in(app, name))).collect();
    let words = text(&buffers[0].1);
    let mut out = words.clone();
    for (name, buffer) in &buffers {
        assert_eq!(text(buffer), words, "{what}: the words do not change with the theme ({})", name.as_str());
        if *name == ThemeName::HighContrast {
            assert_no_dim_or_grey(buffer, what);
        }
        write!(out, "\n── {} ──\n{}", name.as_str(), runs(buffer)).unwrap();
    }
    out
}
