//! Everything a user can ask the board to do. The keymap file, the help
//! overlay and the hint bar are all built from this one list, so they can
//! never disagree.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PreviousPane,
    /// Focus the OKR pane.
    FocusOkrs,
    /// Focus the sprint timeline.
    FocusTimeline,
    /// Focus the backlog.
    FocusBacklog,
    /// Select the next row.
    MoveDown,
    /// Select the previous row.
    MoveUp,
    /// Jump to the first row.
    First,
    /// Jump to the last row.
    Last,
    /// Move one screen down.
    PageDown,
    /// Move one screen up.
    PageUp,
    /// Open the selection's details.
    OpenDetail,
    /// Close the open dialog, or clear the backlog filter.
    Back,
    /// Show every key.
    Help,
    /// Fill the empty board with the demo quarter.
    LoadDemo,
    /// Start a new quarter.
    NewQuarter,
    /// Move the selected item one place up the backlog.
    RankUp,
    /// Move the selected item one place down the backlog.
    RankDown,
    /// Move the selected item to the top of the backlog.
    RankTop,
    /// Move the selected item to the bottom of the backlog.
    RankBottom,
    /// Move the selected item on: todo, doing, done.
    StateForward,
    /// Move the selected item back: done, doing, todo.
    StateBack,
    /// Plan the sprint selected in the timeline.
    PlanSprint,
    /// In planning: move the selected item into the sprint, or out.
    ToggleInSprint,
    /// Search item titles as you type.
    Search,
    /// Filter the backlog: BAU only, not in a sprint, a state, a sprint.
    FilterMenu,
    /// Add an item to the backlog.
    Add,
    /// Edit the selected item.
    Edit,
    /// Delete the selected item, after a confirmation naming it.
    Delete,
    /// Edit the selected item's description in $VISUAL or $EDITOR.
    EditDescription,
    /// Choose the KRs the selected item moves.
    TagItem,
    /// Plan the selected item into a sprint, or take it out.
    MoveToSprint,
    /// Mark a range of items (then move) to tag, plan, set or delete them all.
    Mark,
    /// Edit the quarter's label and start date.
    QuarterSettings,
    /// The OKR-sprint cascade: focus a range of sprints on the selected KR.
    FocusSprints,
    /// Record a check-in on the selected KR: value, confidence, note, dated today.
    CheckIn,
    /// The team and capacity screen: members, focus factors, days off.
    Team,
    /// In planning: set the sprint's capacity to the team's suggestion.
    UseSuggestedCapacity,
    /// Undo the last change (works after a restart too).
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Stop the program for now (resume with `fg`).
    Suspend,
    /// Leave Quarterdeck; the board is already saved.
    Quit,
    /// In a form: check every field and save, or show what is wrong.
    Save,
    /// In a form: the next field.
    NextField,
    /// In a form: the previous field.
    PreviousField,
    /// In a form or a picker: close it without saving (a form with typed
    /// changes asks for a second press first).
    Cancel,
    /// In the sprint form: choose the KRs the sprint goal serves.
    PickKrs,
    /// In a picker of several: tick the choice under the cursor, or untick it.
    Toggle,
    /// In a picker: save the ticks, or take the choice under the cursor.
    Choose,
    /// In a confirmation: go ahead.
    Yes,
    /// In a confirmation: change nothing.
    No,
    /// While searching: close the search line and keep the search.
    KeepSearch,
    /// While searching: close the search line and clear the search.
    ClearSearch,
    /// The sprint review: what it delivered, and what impact it had.
    Review,
    /// In the review: start the sprint, recording its commitment.
    StartSprint,
    /// In the review: close the sprint, choosing where unfinished items go.
    CloseSprint,
    /// In the review: the team's verdict on the sprint goal (met, partly,
    /// not met).
    GoalVerdict,
    /// Where a closing sprint's items go: give every item the selected
    /// one's destination.
    SameForAll,
    /// In the review: turn the selected "to improve" retro note into a
    /// backlog item.
    NoteToItem,
    /// The quarter's health: every rule M1-M13, ok or in warning, with the
    /// objects that break it.
    Health,
    /// The presentation mode: a read-only view for a projector.
    Present,
    /// The charts: burn-up, velocity, the OKR/BAU split, and each KR
    /// against its expected line.
    Charts,
    /// The quarter's calendar: kick-off, plannings, reviews, check-ins,
    /// next quarter's OKR planning and the retro, with what is overdue.
    Calendar,
    /// The quarters: scores and notes, the quarter retro, close the running
    /// quarter, open the next, view an earlier one.
    Quarters,
    /// On the quarter screen: close the running quarter with its scores.
    CloseQuarter,
    /// On the quarter screen: open the next quarter after the closed one.
    OpenQuarter,
    /// View the quarter before the one on screen (read-only when closed).
    PreviousQuarter,
    /// View the quarter after the one on screen.
    NextQuarter,
    /// Exchange changes with the board's git remote, in the background;
    /// in the conflict chooser, complete the merge with the choices.
    Sync,
    /// In the conflict chooser: take this board's value for the field.
    TakeMine,
    /// In the conflict chooser: take the remote's value for the field.
    TakeTheirs,
}

/// Where a key binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// The empty board's welcome screen.
    Welcome,
    /// The board with its three panes.
    Board,
    /// A read-only view over the board: details or help.
    Viewer,
    /// The sprint planning screen.
    Planning,
    /// The team and capacity screen.
    Team,
    /// A key result's details: its check-ins, chart and pace.
    KeyResult,
    /// A form: typing goes to the focused field.
    Form,
    /// A list to choose from: KRs, a sprint, a filter, a state.
    Picker,
    /// A question before a destructive step.
    Confirm,
    /// The search line over the backlog: typing goes to it.
    Search,
    /// The sprint review: output and outcome.
    Review,
    /// Where a closing sprint's unfinished items go.
    Carry,
    /// The quarter's health: rules M1-M13 and what breaks them.
    Health,
    /// The charts, one at a time.
    Charts,
    /// The quarter's calendar of events.
    Calendar,
    /// The quarters: close, score, open the next, view an earlier one.
    Quarters,
    /// The presentation for a projector: read-only.
    Present,
    /// The conflicts of a merge that waits: a side to take for each field.
    SyncConflicts,
}

impl Context {
    pub const ALL: [Self; 18] = [
        Self::Welcome,
        Self::Board,
        Self::Planning,
        Self::Review,
        Self::Health,
        Self::Charts,
        Self::Calendar,
        Self::Quarters,
        Self::Present,
        Self::SyncConflicts,
        Self::Carry,
        Self::Team,
        Self::KeyResult,
        Self::Viewer,
        Self::Form,
        Self::Picker,
        Self::Confirm,
        Self::Search,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Welcome => "Welcome screen",
            Self::Board => "Board",
            Self::Viewer => "Details and help",
            Self::Planning => "Sprint planning",
            Self::Team => "Team and capacity",
            Self::KeyResult => "Key result details and check-ins",
            Self::Form => "Forms (other keys type into the field)",
            Self::Picker => "Lists to choose from",
            Self::Confirm => "Questions before a delete or an undo",
            Self::Search => "Search line (other keys type into it)",
            Self::Review => "Sprint review",
            Self::Carry => "Closing a sprint: where unfinished items go",
            Self::Health => "The quarter's health",
            Self::Charts => "Charts",
            Self::Calendar => "The quarter's calendar",
            Self::Quarters => "Quarters: close, score, open the next",
            Self::Present => "Presentation (read-only)",
            Self::SyncConflicts => "Sync conflicts: take mine or theirs",
        }
    }

    /// Whether typing goes to a text field here: such a context binds only
    /// keys with ctrl or alt and named keys, so every letter can be typed.
    pub fn is_text_entry(self) -> bool {
        matches!(self, Self::Form | Self::Search)
    }

    /// Whether `action` means something here. A dialog's actions are its
    /// own, and the board's actions mean nothing in a dialog: binding one
    /// there would be a key that silently does nothing.
    pub fn accepts(self, action: Action) -> bool {
        use Action as A;
        match self {
            Self::Form => matches!(action, A::Save | A::NextField | A::PreviousField | A::Cancel | A::PickKrs),
            Self::Picker => matches!(action, A::MoveDown | A::MoveUp | A::Toggle | A::Choose | A::Cancel),
            Self::Confirm => matches!(action, A::Yes | A::No),
            Self::Search => matches!(action, A::KeepSearch | A::ClearSearch),
            Self::Carry => matches!(action, A::MoveDown | A::MoveUp | A::Toggle | A::SameForAll | A::Choose | A::Cancel),
            // Lists to read and leave: their keys select, go to, or close
            // (with the key that opened them, too).
            Self::Health => is_list_key(action) || action == A::Health,
            Self::Calendar => is_list_key(action) || action == A::Calendar,
            Self::Quarters => action.on_quarter_screen() || matches!(action, A::Help | A::Quit | A::Suspend | A::Undo | A::Redo),
            // A projector's view: it never writes, so no key that edits.
            Self::Present => matches!(
                action,
                A::NextPane | A::PreviousPane | A::PageDown | A::PageUp | A::Back | A::Present | A::Help | A::Quit | A::Suspend
            ),
            // Charts to look at: turn the page, or close.
            Self::Charts => {
                matches!(action, A::NextPane | A::PreviousPane | A::Back | A::Charts | A::Help | A::Quit | A::Suspend)
            }
            // A list whose Enter completes the merge (no detail to open).
            Self::SyncConflicts => {
                (is_list_key(action) && action != A::OpenDetail) || matches!(action, A::TakeMine | A::TakeTheirs | A::Sync)
            }
            Self::Welcome | Self::Board | Self::Viewer | Self::Planning | Self::Team | Self::KeyResult | Self::Review => {
                !action.is_dialog_only()
            }
        }
    }
}

/// The keys of a screen that is a list to read and leave (health, the
/// calendar): select, go to the selection, close, and the keys of every screen.
fn is_list_key(action: Action) -> bool {
    use Action as A;
    matches!(
        action,
        A::MoveDown
            | A::MoveUp
            | A::First
            | A::Last
            | A::PageDown
            | A::PageUp
            | A::OpenDetail
            | A::Back
            | A::Help
            | A::Quit
            | A::Suspend
    )
}

impl Action {
    /// The actions the quarter screen carries out itself.
    pub fn on_quarter_screen(self) -> bool {
        matches!(
            self,
            Self::MoveDown
                | Self::MoveUp
                | Self::First
                | Self::Last
                | Self::OpenDetail
                | Self::Edit
                | Self::CloseQuarter
                | Self::OpenQuarter
                | Self::Back
                | Self::Quarters
        )
    }

    /// Whether the action changes the quarter on screen or its items: a
    /// closed quarter refuses these (undo and redo stay, to reopen it).
    pub fn edits(self) -> bool {
        matches!(
            self,
            Self::RankUp
                | Self::RankDown
                | Self::RankTop
                | Self::RankBottom
                | Self::StateForward
                | Self::StateBack
                | Self::PlanSprint
                | Self::ToggleInSprint
                | Self::Add
                | Self::Edit
                | Self::Delete
                | Self::EditDescription
                | Self::TagItem
                | Self::MoveToSprint
                | Self::Mark
                | Self::QuarterSettings
                | Self::FocusSprints
                | Self::CheckIn
                | Self::UseSuggestedCapacity
                | Self::StartSprint
                | Self::CloseSprint
                | Self::GoalVerdict
                | Self::NoteToItem
        )
    }

    /// The line the help overlay shows for this action; `{action}` names
    /// another action's key, filled in from the keymap (`Keymap::fill`).
    pub fn description(self) -> &'static str {
        match self {
            Self::Quit => "Quit (the board is saved as you go)",
            Self::NextPane => "Next pane",
            Self::PreviousPane => "Previous pane",
            Self::FocusOkrs => "OKR pane",
            Self::FocusTimeline => "Timeline pane",
            Self::FocusBacklog => "Backlog pane",
            Self::MoveDown => "Next row",
            Self::MoveUp => "Previous row",
            Self::First => "First row",
            Self::Last => "Last row",
            Self::PageDown => "One screen down",
            Self::PageUp => "One screen up",
            Self::OpenDetail => "Open details of the selection",
            Self::Back => "Close, or clear the backlog filter",
            Self::Help => "Show or hide this help",
            Self::LoadDemo => "Load the demo quarter",
            Self::NewQuarter => "Start a new quarter",
            Self::RankUp => "Move the item one place up",
            Self::RankDown => "Move the item one place down",
            Self::RankTop => "Move the item to the top",
            Self::RankBottom => "Move the item to the bottom",
            Self::StateForward => "Item state on: todo → doing → done (timeline: start the sprint)",
            Self::StateBack => "Item state back: done → doing → todo",
            Self::PlanSprint => "Sprint planning for the sprint selected in the timeline",
            Self::ToggleInSprint => "Move the selected item into the sprint, or out",
            Self::Search => "Search item titles as you type",
            Self::FilterMenu => "Filter the backlog: objective, BAU only, not in a sprint, state, sprint",
            Self::Add => "Add in the pane: an objective or KR, a sprint, or an item (tagged with the KR filter)",
            Self::Edit => "Edit the selection: objective, KR, sprint (goal, dates, capacity) or item",
            Self::Delete => "Delete the selection or the marked items (asks first; {undo} brings it back)",
            Self::EditDescription => "Edit the item's description in $VISUAL or $EDITOR",
            Self::TagItem => "Choose the KRs an item moves, or a sprint goal serves",
            Self::MoveToSprint => "Plan the item into a sprint, or take it out",
            Self::Mark => {
                "Mark items: {mark}, then move; {tag_item}, {move_to_sprint}, {state_forward} or {delete} act on them all"
            }
            Self::QuarterSettings => "The quarter's label and start date",
            Self::FocusSprints => "Focus sprints on a KR (the OKR-sprint cascade)",
            Self::CheckIn => "Check in on a KR: value, confidence, note",
            Self::Team => "Team and capacity: members, focus factors, days off, suggested capacity",
            Self::UseSuggestedCapacity => "Set the sprint's capacity to the team's suggestion",
            Self::Undo => "Undo the last change",
            Self::Redo => "Redo the last undone change",
            Self::Suspend => "Suspend to the shell (fg resumes)",
            Self::Save => "Save the form (a field that is not valid says why)",
            Self::NextField => "Next field",
            Self::PreviousField => "Previous field",
            Self::Cancel => "Close without saving",
            Self::PickKrs => "Sprint form: choose the KRs the goal serves; an owner field: the team's next name",
            Self::Toggle => "Tick or untick the choice (lists of several)",
            Self::Choose => "Save the ticks, or take the choice",
            Self::Yes => "Yes: delete, or undo the other window's step",
            Self::No => "No: change nothing",
            Self::KeepSearch => "Keep the search and close the search line",
            Self::ClearSearch => "Clear the search and close the search line",
            Self::Review => "Sprint review: output and outcome (the timeline's sprint, else the one due)",
            Self::StartSprint => "Start the sprint: its commitment is recorded",
            Self::CloseSprint => "Close the sprint: choose where unfinished items go; its record is frozen",
            Self::GoalVerdict => "The sprint goal's verdict: met, partly, not met",
            Self::SameForAll => "Give every item the selected one's destination",
            Self::NoteToItem => "Turn the selected 'to improve' note into a backlog item (at the bottom)",
            Self::Health => "The quarter's health: rules M1-M13, ok or warning, and what breaks them",
            Self::Present => "Presentation for a projector: OKRs, the sprint review, health, charts, read-only",
            Self::Quarters => "Quarters: scores, notes, retro; close the running one, open the next, view an earlier one",
            Self::CloseQuarter => "Close the running quarter with these scores and notes (asks first; {undo} reopens it)",
            Self::OpenQuarter => "Open the next quarter: same sprints, the drafted OKRs, unfinished items carried",
            Self::PreviousQuarter => "View the quarter before (a closed quarter is read-only)",
            Self::NextQuarter => "View the quarter after",
            Self::Charts => "Charts: burn-up, velocity, OKR/BAU split, each KR against its expected line",
            Self::Calendar => "The quarter's calendar: plannings, reviews, check-ins, the retro; what is next and overdue",
            Self::Sync => "Sync with the git remote in the background (with a merge waiting: choose its conflicts)",
            Self::TakeMine => "Take mine: this board's value for the field",
            Self::TakeTheirs => "Take theirs: the remote's value for the field",
        }
    }

    /// Actions that only a dialog carries out.
    fn is_dialog_only(self) -> bool {
        matches!(
            self,
            Self::Save
                | Self::NextField
                | Self::PreviousField
                | Self::Cancel
                | Self::PickKrs
                | Self::Toggle
                | Self::Choose
                | Self::Yes
                | Self::No
                | Self::KeepSearch
                | Self::ClearSearch
                | Self::SameForAll
                | Self::TakeMine
                | Self::TakeTheirs
        )
    }

    /// The help line for this action where `context` binds it: the team
    /// screen's add, edit and delete act on members.
    pub fn description_in(self, context: Context) -> &'static str {
        match (context, self) {
            (Context::Team, Self::Add) => "Add a team member: focus factor and days off per sprint",
            (Context::Team, Self::Edit) => "Edit the selected member's focus factor and days off",
            (Context::Team, Self::Delete) => "Take the selected member off the team (asks first)",
            (Context::Team, Self::Back) => "Back to the board or the planning screen",
            (Context::KeyResult, Self::Edit) => "Correct the selected check-in",
            (Context::KeyResult, Self::Delete) => "Delete the selected check-in (asks first; {undo} brings it back)",
            (Context::KeyResult, Self::MoveDown) => "Next (older) check-in",
            (Context::KeyResult, Self::MoveUp) => "Previous (newer) check-in",
            (Context::KeyResult, Self::Back) => "Back to the board",
            (Context::Picker, Self::MoveDown) => "Next choice (the list wraps around)",
            (Context::Picker, Self::MoveUp) => "Previous choice",
            (Context::Carry, Self::Toggle) => "Next destination: the next sprint, the top or the bottom of the backlog",
            (Context::Carry, Self::Choose) => "Close the sprint, sending the items where they show",
            (Context::Review, Self::Back) => "Back to the board or the planning screen",
            (Context::Review, Self::MoveDown) => "Scroll down to the retro notes, then select the next note",
            (Context::Review, Self::MoveUp) => "Select the previous retro note, then scroll up",
            (Context::Review, Self::First) => "Top of the review; the first retro note",
            (Context::Review, Self::Last) => "Bottom of the review; the last retro note",
            (Context::Review, Self::PageDown) => "Scroll one screen down",
            (Context::Review, Self::PageUp) => "Scroll one screen up",
            (Context::Review, Self::Add) => "Add a retro note to the selected list",
            (Context::Review, Self::Edit) => "Edit the selected retro note",
            (Context::Review, Self::Delete) => "Delete the selected retro note (asks first; {undo} brings it back)",
            (Context::Review, Self::RankUp) => "Move the retro note one place up its list",
            (Context::Review, Self::RankDown) => "Move the retro note one place down its list",
            (Context::Health, Self::MoveDown) => "Select the next object breaking a rule",
            (Context::Health, Self::MoveUp) => "Select the previous object breaking a rule",
            (Context::Health, Self::OpenDetail) => "Go to the selected object: close health and select it in its pane",
            (Context::Health, Self::Back | Self::Health) => "Back to the board",
            (Context::Board, Self::NewQuarter) => {
                "Draft next quarter's OKRs beside the running ones; {new_quarter} again goes back"
            }
            (Context::Quarters, Self::OpenDetail) => "On a quarter: view it (a closed one is read-only); else edit the line",
            (Context::Quarters, Self::Edit) => "Edit the selected KR's score, an objective's closing note or the retro note",
            (Context::Quarters, Self::Back | Self::Quarters) => "Back to the board",
            (Context::Quarters, Self::MoveDown) => "Next line: quarters, then objectives and KRs, then the retro note",
            (Context::Quarters, Self::MoveUp) => "Previous line",
            (Context::Charts, Self::NextPane) => "Next chart",
            (Context::Charts, Self::PreviousPane) => "Previous chart",
            (Context::Charts, Self::Back | Self::Charts) => "Back to the board",
            (Context::Calendar, Self::MoveDown) => "Select the next event",
            (Context::Calendar, Self::MoveUp) => "Select the previous event",
            (Context::Calendar, Self::OpenDetail) => {
                "Open where the event is held: a review (and its check-in or retro) or a planning"
            }
            (Context::Calendar, Self::Back | Self::Calendar) => "Back to the board",
            (Context::Present, Self::NextPane) => "Next screen: the board, the sprint review, health, charts",
            (Context::Present, Self::PreviousPane) => "Previous screen",
            (Context::SyncConflicts, Self::MoveDown) => "Next conflicting field",
            (Context::SyncConflicts, Self::MoveUp) => "Previous conflicting field",
            (Context::SyncConflicts, Self::Sync) => "Complete the merge with the sides chosen (once every field has one)",
            (Context::SyncConflicts, Self::Back) => "Back to the board; the merge waits with the choices made",
            (Context::Present, Self::PageDown) => "Next page of a long screen; the next chart",
            (Context::Present, Self::PageUp) => "Previous page",
            (Context::Present, Self::Back) => "Back to the board (from `quarterdeck present`: quit)",
            // The key that opened it over the board: `quarterdeck present` has no board to go back to.
            (Context::Present, Self::Present) => "Back to the board (the key that opened the presentation)",
            _ => self.description(),
        }
    }

    /// Whether the hint bar of `context` names this action: on the board,
    /// `n` drafts next quarter's OKRs, a key for the last sprint only, so
    /// it leaves the room to keys of every day (help lists it).
    /// On the quarter screen, `e` edits a score or a note: hinted there only.
    pub fn hinted_in(self, context: Context) -> bool {
        match self {
            Self::NewQuarter => context != Context::Board,
            Self::Edit => context == Context::Quarters,
            _ => true,
        }
    }

    /// The short word in the hint bar; `None` keeps the action out of it.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Self::Quit => Some("quit"),
            Self::NextPane => Some("pane"),
            Self::MoveDown => Some("move"),
            Self::OpenDetail => Some("open"),
            Self::Back => Some("back"),
            Self::Help => Some("help"),
            Self::Undo => Some("undo"),
            Self::Add => Some("add"),
            Self::Search => Some("search"),
            Self::PlanSprint => Some("plan sprint"),
            Self::ToggleInSprint => Some("in/out"),
            Self::Team => Some("team"),
            Self::CheckIn => Some("check in"),
            Self::UseSuggestedCapacity => Some("use suggested capacity"),
            Self::LoadDemo => Some("demo quarter"),
            Self::NewQuarter => Some("new quarter"),
            Self::Edit => Some("edit"),
            Self::CloseQuarter => Some("close quarter"),
            Self::OpenQuarter => Some("open next"),
            // Dialogs show these in their own frames, some with a word of
            // their own ("plans it there", "deletes").
            Self::Save => Some("saves"),
            Self::NextField => Some("next field"),
            Self::PreviousField => Some("previous field"),
            Self::Cancel => Some("cancels"),
            Self::PickKrs => Some("KRs"),
            Self::Toggle => Some("chooses or drops"),
            Self::Choose => Some("chooses"),
            Self::Yes => Some("yes"),
            Self::No => Some("no"),
            Self::KeepSearch => Some("keeps"),
            Self::ClearSearch => Some("clears"),
            Self::Review => Some("review"),
            Self::StartSprint => Some("start"),
            Self::CloseSprint => Some("close"),
            Self::GoalVerdict => Some("verdict"),
            Self::SameForAll => Some("same for all"),
            Self::NoteToItem => Some("to backlog"),
            Self::Health => Some("health"),
            Self::Charts => Some("charts"),
            Self::Calendar => Some("calendar"),
            Self::Sync => Some("sync"),
            Self::TakeMine => Some("mine"),
            Self::TakeTheirs => Some("theirs"),
            _ => None,
        }
    }
}
