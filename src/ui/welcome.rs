//! The empty board's first screen: load the demo or start a quarter.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Paragraph, Wrap},
};

use super::{Theme, hint_line, layout, text};
use crate::app::{Action, App, Context};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let rect = layout::centred(area, 0, 0, 76.min(area.width), 14);
    let block = Block::bordered().title(Line::styled(" Welcome to Quarterdeck ", theme.title())).border_style(theme.border(true));
    let width = usize::from(block.inner(rect).width);
    let path = app.store.path().display().to_string();
    let choice = |action: Action, what: &'static str, why: &'static str| {
        let key = app.keymap.key(Context::Welcome, action);
        Line::from(vec![Span::styled(format!("  {key}  "), theme.key()), Span::styled(what, theme.bold()), Span::raw(why)])
    };
    let mut lines = vec![
        Line::raw(""),
        Line::raw(" One quarter's OKRs, its sprints and a KR-tagged backlog, on one board."),
        Line::raw(""),
        Line::styled(" This board is empty:", theme.dim()),
        Line::styled(format!(" {}", text::fit(&path, width.saturating_sub(2))), theme.dim()),
        Line::raw(""),
        choice(Action::LoadDemo, "Load the demo quarter", ": a product team's quarter, running today"),
        choice(Action::NewQuarter, "Start a new quarter", ": label, start date and sprints"),
    ];
    // A board tied to a repository is most often a new laptop's: what it
    // needs first is the team's quarter.
    if app.sync.is_some() {
        lines.push(choice(Action::Sync, "Receive the shared quarter", ": sync with the tied git repository"));
    }
    lines.push(choice(Action::Quit, "Quit", ""));
    if let Some(status) = &app.status {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {}", status.text), if status.is_error { theme.error() } else { theme.good() }));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), rect);
    let hints = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    frame.render_widget(Paragraph::new(hint_line(app, app.context(), area.width, theme)), hints);
}
