//! The sprint review: output ("what did we deliver?") and outcome ("what
//! impact did it have?") on one screen, and the retro's notes. Wide, the
//! output stands beside the outcome with the retro under it; at 80x24 all
//! three follow one another in a scrolling column. Every state that
//! colour shows is in words or symbols too.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Paragraph},
};

use super::{Theme, header::short_date, layout, text};
use crate::{
    app::{
        Action, App, Context,
        review::{OutcomeRow, Review, ReviewNote},
    },
    domain::{
        Board, Sprint, SprintState, codes, kr_progress,
        review::{self, M11_DELIVERED_SHARE, M11_MOVED_SHARE, Outcome, Stage, Tally},
    },
};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, review: &Review, theme: Theme) {
    draw_with(frame, area, app, board, review, theme, true);
}

/// The review, with its line of keys or (for the presentation, which
/// hints only its own keys) without.
pub(super) fn draw_with(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, review: &Review, theme: Theme, keys: bool) {
    let Some(sprint) = board.sprint(review.sprint_id) else { return };
    let rows = review.outcome(board, sprint, app.today);
    let title = format!(
        " Sprint {} review · {} – {} · {} ",
        sprint.number,
        short_date(sprint.start, app.today),
        short_date(sprint.end, app.today),
        state_words(sprint, app.today)
    );
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    frame.render_widget(block, area);
    // The app scrolls by the same body (`geometry::review_body`).
    let body = layout::review_body(frame.area());
    if keys {
        let keys = Rect { y: body.bottom(), height: 1, ..body };
        frame.render_widget(Paragraph::new(key_line(app, sprint, usize::from(keys.width), theme)), keys);
    }

    // The app places the retro's cursor and scrolls by these counts.
    let counted = |output: &[Line<'_>], deferred: &[Line<'_>], outcome: &[Line<'_>]| {
        debug_assert_eq!(
            output.len() + deferred.len(),
            review.output_height(board, sprint),
            "the output's lines and `Review::output_height` disagree"
        );
        debug_assert_eq!(outcome.len(), review.outcome_height(board, sprint, app.today), "the outcome's lines disagree");
    };
    if body.width >= layout::REVIEW_SIDE_BY_SIDE {
        let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).spacing(2).areas(body);
        let mut output = output_lines(app, board, sprint, review, usize::from(left.width), theme, keys);
        let mut outcome = outcome_lines(review, &rows, usize::from(right.width), theme);
        let outcome_len = outcome.len();
        outcome.push(Line::raw(""));
        outcome.extend(super::retro::lines(app, review, usize::from(right.width), theme, keys));
        // The deferred items close the output. Where the other column has
        // ended above them, they read across the whole width (a reason is
        // a sentence: cut at half the screen, it lost its point); else
        // they keep to their column. Either way they take the same lines.
        let below_both = outcome.len() <= output.len();
        let deferred_width = if below_both { body.width } else { left.width };
        let deferred = deferred_lines(board, sprint, review, usize::from(deferred_width), theme);
        let deferred_top = output.len();
        if !below_both {
            output.extend(deferred.iter().cloned());
        }
        let height = output.len().max(outcome.len()) + if below_both { deferred.len() } else { 0 };
        counted(&output[..deferred_top], &deferred, &outcome[..outcome_len]);
        // Scrolled no further than the longer column's last line.
        let scroll = review.scroll.min(last_scroll(height, body.height));
        if below_both {
            let mut across = vec![Line::raw(""); deferred_top];
            across.extend(deferred);
            frame.render_widget(Paragraph::new(across).scroll((scroll, 0)), body);
        }
        frame.render_widget(Paragraph::new(output).scroll((scroll, 0)), left);
        frame.render_widget(Paragraph::new(outcome).scroll((scroll, 0)), right);
    } else {
        let mut lines = output_lines(app, board, sprint, review, usize::from(body.width), theme, keys);
        let deferred = deferred_lines(board, sprint, review, usize::from(body.width), theme);
        let outcome = outcome_lines(review, &rows, usize::from(body.width), theme);
        counted(&lines, &deferred, &outcome);
        lines.extend(deferred);
        lines.push(Line::raw(""));
        lines.extend(outcome);
        lines.push(Line::raw(""));
        lines.extend(super::retro::lines(app, review, usize::from(body.width), theme, keys));
        // Scrolled no further than the last line.
        let scroll = review.scroll.min(last_scroll(lines.len(), body.height));
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
    }
}

/// The furthest scroll that still fills `height` lines from `lines`.
fn last_scroll(lines: usize, height: u16) -> u16 {
    u16::try_from(lines.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}

fn state_words(sprint: &Sprint, today: chrono::NaiveDate) -> String {
    match sprint.state {
        _ if sprint.ended_unclosed(today) => format!("ended {}, not closed", short_date(sprint.end, today)),
        SprintState::Planned => "planned, not started".into(),
        SprintState::Active => "running".into(),
        SprintState::Closed => "closed".into(),
    }
}

/// "unfinished" as a line of the board begins it: "Unfinished".
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn heading(text: &str, theme: Theme) -> Line<'static> {
    Line::styled(text.to_owned(), theme.bold())
}

fn tally(tally: Tally) -> String {
    let items = if tally.items == 1 { "item" } else { "items" };
    let points = if tally.points == 1 { "pt" } else { "pts" };
    format!("{:>3} {items:<5} {:>4} {points}", tally.items, tally.points)
}

/// The output half; without `keys` (the presentation) no key is named.
fn output_lines(
    app: &App,
    board: &Board,
    sprint: &Sprint,
    review: &Review,
    width: usize,
    theme: Theme,
    keys: bool,
) -> Vec<Line<'static>> {
    let mut lines = vec![heading("Output: what did we deliver?", theme)];
    let goal = if sprint.goal.trim().is_empty() { "(no goal written)" } else { sprint.goal.as_str() };
    lines.push(Line::raw(text::fit(&format!("Goal     {goal}"), width)));
    let notes = review.notes(board, sprint);
    for note in notes.iter().filter(|note| !note.is_deferred()) {
        lines.push(note_line(note, width, theme));
    }
    let mut verdict = vec![Span::raw("Verdict  "), Span::styled(sprint.verdict.word().to_owned(), theme.bold())];
    if keys {
        let verdict_key = app.keymap.keys_label(Context::Review, Action::GoalVerdict).unwrap_or_default();
        verdict.push(Span::styled(format!("  ({verdict_key} changes it)"), theme.dim()));
    }
    lines.push(Line::from(verdict));
    let stage = Stage::of(sprint.state);
    if stage == Stage::NotStarted {
        lines.push(Line::styled(review::NOT_STARTED, theme.warning()));
    }
    // The lines `review` and the reports show too, but what it held: on
    // screen the record below says it.
    for row in review::output_rows(&review.output(), stage).iter().filter(|row| row.key != "held") {
        // "of it done" reads under "Committed", indented.
        let words = if row.key == "committed_done" { format!("  {}", row.words) } else { capitalised(row.words) };
        let line = format!("{words:<14} {}", tally(row.tally));
        lines.push(if row.key == "done" { Line::styled(line, theme.good()) } else { Line::raw(line) });
    }
    // What it held, done or not: planning's, health's and the chart's split.
    lines.push(Line::raw(text::fit(&format!("OKR/BAU split  {}", review.planned_split(board).describe()), width)));
    if review.record.frozen {
        lines.push(Line::styled("Frozen when the sprint closed: these numbers do not change.", theme.dim()));
    }
    lines.push(Line::raw(""));
    for item in &review.record.items {
        let (mark, style) = match item.outcome {
            Outcome::Done => ("✓", theme.good()),
            Outcome::Carried => ("→", theme.warning()),
            Outcome::Removed => ("✗", theme.dim()),
        };
        let mark = format!("{mark} {:<7}", review::outcome_word(item.outcome, stage));
        let added = if review::planned_word(item.committed, stage) == "added" { " (added)" } else { "" };
        let to = review.carried_to(item.item_id).map(|to| format!(" to {to}")).unwrap_or_default();
        let head = format!("{mark} {:>4} ", codes::item_shown(item.item_id, app.is_provisional(item.item_id)));
        // "1 pt", its space kept at the end so the numbers stay in a column.
        let (unit, pad) = if item.points == 1 { ("pt", " ") } else { ("pts", "") };
        let tail = format!(" {:>3} {unit}{added}{to}{pad}", item.points);
        let room = width.saturating_sub(head.chars().count() + tail.chars().count());
        lines.push(Line::styled(format!("{head}{}{tail}", text::pad(&item.title, room)), style));
    }
    if review.record.items.is_empty() {
        lines.push(Line::styled("No item was planned into this sprint.", theme.dim()));
    }
    lines
}

/// The open items that wait, and why, after a blank line: the output's
/// last lines (none when no item waits).
fn deferred_lines(board: &Board, sprint: &Sprint, review: &Review, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let notes = review.notes(board, sprint);
    if !notes.iter().any(ReviewNote::is_deferred) {
        return Vec::new();
    }
    let mut lines = vec![Line::raw("")];
    lines.extend(notes.iter().filter(|note| note.is_deferred()).map(|note| note_line(note, width, theme)));
    lines
}

/// One of the review's notes beside the record, in one line.
fn note_line(note: &ReviewNote, width: usize, theme: Theme) -> Line<'static> {
    let (line, style) = match note {
        ReviewNote::GoalAtStart(goal) => {
            let goal = if goal.trim().is_empty() { "(none)" } else { goal.as_str() };
            (format!("At start {goal}  (M2: changed since)"), theme.dim())
        }
        ReviewNote::NoKr(reason) => (format!("No KR    on purpose: {reason}"), ratatui::style::Style::new()),
        ReviewNote::RedirectedBefore { number, reason } => {
            (format!("Before   S{number} served no KR: {reason}"), ratatui::style::Style::new())
        }
        ReviewNote::RedirectedTwice => {
            ("⚠ M12 two sprints in a row off the KRs: the next goes back to them".to_owned(), theme.warning())
        }
        ReviewNote::DeferredHeading(total) => (format!("Deferred, and why ({total})"), theme.bold()),
        ReviewNote::DeferredItem(item) => (format!("  {:>5} {}: {}", codes::item(item.id), item.title, item.reason), theme.dim()),
        ReviewNote::DeferredMore(more) => (format!("  and {more} more"), theme.dim()),
    };
    Line::styled(text::fit(&text::clean(&line), width), style)
}

fn outcome_lines(review: &Review, rows: &[OutcomeRow<'_>], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![heading("Outcome: what impact did it have?", theme)];
    if rows.is_empty() {
        lines.push(Line::styled("No KR: the goal serves none and no delivered item moves one.", theme.dim()));
    }
    for row in rows {
        let kr = row.kr;
        let why = if row.served { "" } else { "  (a delivered item moves it)" };
        lines.push(Line::styled(text::fit(&format!("{} {}{why}", kr.code, kr.title), width), theme.bold()));
        let movement = row.movement;
        let change = movement.at_sprint_end - movement.at_sprint_start;
        let made = movement
            .progress_made()
            .map_or_else(|| "no target".to_owned(), |made| format!("{} of the way", review::made_words(made)));
        lines.push(Line::raw(text::fit(
            &format!(
                "  {} → {}  ({}{})  {made}",
                text::with_unit(movement.at_sprint_start, &kr.unit),
                text::with_unit(movement.at_sprint_end, &kr.unit),
                if change >= 0.0 { "+" } else { "" },
                text::number(change),
            ),
            width,
        )));
        let progress = kr_progress(kr.start, kr.target, movement.at_sprint_end);
        let share = progress
            .map_or_else(|| "—".to_owned(), |progress| format!("{} %", crate::format::whole_percent(progress.clamp(0.0, 1.0))));
        let moved = if movement.moved() { "moved" } else { "did not move" };
        lines.push(Line::styled(
            format!("  progress {share} · {} · conf {} % · {moved}", row.pace.word(), row.confidence),
            theme.pace(row.pace),
        ));
    }
    if review.high_output_low_outcome(rows) {
        lines.push(Line::raw(""));
        // Three short lines, so that the rule reads whole at 80x24 too.
        for text in [
            "⚠ M11 high output, low outcome:".to_owned(),
            format!("  it delivered its points (≥ {:.0} % done, added work too)", M11_DELIVERED_SHARE * 100.0),
            format!("  while none of its KRs moved (≥ {:.0} % of the way).", M11_MOVED_SHARE * 100.0),
        ] {
            lines.push(Line::styled(text::fit(&text, width), theme.warning()));
        }
    }
    lines
}

fn key_line(app: &App, sprint: &Sprint, width: usize, theme: Theme) -> Line<'static> {
    // Most important first: where room is short, the last go (`…`).
    let mut actions = match sprint.state {
        SprintState::Planned => vec![(Action::StartSprint, "starts it")],
        SprintState::Active => vec![(Action::CloseSprint, "closes it")],
        SprintState::Closed => Vec::new(),
    };
    actions.extend([
        (Action::CheckIn, "check in"),
        (Action::Add, "adds a note"),
        (Action::GoalVerdict, "verdict"),
        (Action::NoteToItem, "to backlog"),
        (Action::MoveDown, "reads on"),
        (Action::Back, "back"),
    ]);
    super::dialogs::key_line(&app.keymap, Context::Review, &actions, width, theme)
}
