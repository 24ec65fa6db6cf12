//! The command line's writes: `init`, `add`, `edit`, `tag`, `move`,
//! `state`, `checkin`, `sprint`, `retro`, `undo`, `redo`. Each turns its
//! arguments into one `ops::Command` (references resolved, values parsed
//! by the domain's types) and applies it with `ops::apply`, as the board
//! does; see `write_run` for how, and docs/cli.md for the contract.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use crate::domain::ItemKind;

#[derive(Debug, Subcommand)]
pub enum WriteCommand {
    /// Start a quarter on a board: its label, first day, and sprints
    #[command(after_help = "Example:\n  quarterdeck init --label 2027-Q1 --start 2027-01-04 --sprints 6 --weeks 2")]
    Init {
        /// The quarter's label, such as 2027-Q1
        #[arg(long, value_name = "L")]
        label: String,
        /// Its first day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        start: String,
        /// How many sprints (1-13)
        #[arg(long, value_name = "N", default_value = "6", allow_negative_numbers = true)]
        sprints: String,
        /// Each sprint's length in weeks (1-4)
        #[arg(long, value_name = "N", default_value = "2", allow_negative_numbers = true)]
        weeks: String,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Add an objective, a key result, a backlog item or a sprint
    #[command(subcommand)]
    Add(AddCommand),
    /// Change fields of an item, objective, key result or sprint
    #[command(
        after_help = "Examples:\n  quarterdeck edit '#42' --title 'One-click payment' --points 5\n  quarterdeck edit KR1.2 --target 30\n  quarterdeck edit S3 --goal 'Checkout loads in under 1.8 s' --capacity 20"
    )]
    Edit(EditArgs),
    /// Tag an item with the key results it moves, or link a sprint's goal
    /// to the key results it serves (--remove takes them off)
    #[command(
        after_help = "Examples:\n  quarterdeck tag '#42' KR1.1 KR2.1\n  quarterdeck tag '#42' KR2.1 --remove\n  quarterdeck tag S3 KR1.2"
    )]
    Tag {
        /// The item (#42 or 42) or sprint (S3), or its id
        #[arg(value_name = "REF")]
        item: String,
        /// The key results: KR1.1, 2027-Q1:KR1.2, or their ids
        #[arg(value_name = "KR", required = true)]
        krs: Vec<String>,
        /// Take these tags off instead
        #[arg(long)]
        remove: bool,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Plan an item into a sprint, take it out to the backlog, or rank it
    #[command(
        group(ArgGroup::new("to").required(true).args(["sprint", "backlog", "rank"])),
        after_help = "Examples:\n  quarterdeck move '#42' --sprint S3\n  quarterdeck move '#42' --backlog\n  quarterdeck move '#42' --rank top\n  quarterdeck move '#42' --rank after '#17'"
    )]
    Move {
        /// The item: #42 (or 42), or its id
        #[arg(value_name = "REF")]
        item: String,
        /// Plan it into this sprint (S3, 2027-Q1:S3, or its id)
        #[arg(long, value_name = "SPRINT")]
        sprint: Option<String>,
        /// Take it out of its sprint, back to the backlog
        #[arg(long)]
        backlog: bool,
        /// Its place in the backlog: top, bottom, or after REF (below that item)
        #[arg(long, num_args = 1..=2, value_names = ["top|bottom|after", "REF"])]
        rank: Vec<String>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Set an item's state: todo, doing or done (done records today)
    #[command(after_help = "Examples:\n  quarterdeck state '#42' doing\n  quarterdeck state 42 done")]
    State {
        /// The item: #42 (or 42), or its id
        #[arg(value_name = "REF")]
        item: String,
        #[arg(value_enum)]
        state: super::list::StateArg,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Record a key result's reading (a check-in), dated today unless --date
    #[command(
        allow_negative_numbers = true,
        after_help = "Examples:\n  quarterdeck checkin KR1.1 15.1 --confidence 70 --note 'One-click live for 10 %'\n  quarterdeck checkin KR3.1 -0.5 --date 2027-01-15"
    )]
    Checkin {
        /// The key result: KR1.1, 2027-Q1:KR1.1, or its id
        #[arg(value_name = "KR")]
        key_result: String,
        /// The reading, in the KR's unit (12 or 3.5)
        #[arg(value_name = "VALUE")]
        value: String,
        /// How likely the target is reached, 0-100 % [default: the KR's confidence now]
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        confidence: Option<String>,
        /// A short note: what moved it (120 characters at most)
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
        /// The day the reading was taken (YYYY-MM-DD), today or earlier [default: today]
        #[arg(long, value_name = "D")]
        date: Option<String>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Start a sprint (its commitment is recorded) or close it (its record is frozen)
    #[command(subcommand)]
    Sprint(SprintCommand),
    /// Add a note to a sprint's retro
    #[command(
        group(ArgGroup::new("list").required(true).args(["went_well", "to_improve", "okr"])),
        after_help = "Examples:\n  quarterdeck retro S3 --went-well 'Pairing on the payment flow'\n  quarterdeck retro S3 --okr 'KR1.1 moved: one-click did it'"
    )]
    Retro {
        /// The sprint: S3, 2027-Q1:S3, or its id
        #[arg(value_name = "SPRINT")]
        sprint: String,
        /// What went well
        #[arg(long, value_name = "TEXT")]
        went_well: Option<String>,
        /// What to improve
        #[arg(long, value_name = "TEXT")]
        to_improve: Option<String>,
        /// The OKR reflection: did the sprint move a KR?
        #[arg(long, value_name = "TEXT")]
        okr: Option<String>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Undo your newest change (of the board or the command line), 200 steps deep
    #[command(after_help = "Examples:\n  quarterdeck undo\n  quarterdeck undo --yes   # also a quarter's close or opening")]
    Undo {
        /// Undo a quarter's close or opening too, which otherwise asks first
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Redo the change you undid last
    #[command(after_help = "Example:\n  quarterdeck redo")]
    Redo {
        /// Redo a quarter's close or opening too, which otherwise asks first
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        out: OutArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// An objective of the running quarter
    #[command(after_help = "Example:\n  quarterdeck add objective 'Make checkout effortless' --owner Priya")]
    Objective {
        #[arg(value_name = "TITLE")]
        title: String,
        /// Who owns it
        #[arg(long, value_name = "NAME", default_value = "")]
        owner: String,
        #[command(flatten)]
        out: OutArgs,
    },
    /// A key result of an objective: measurable, with a unit, a start and a target (M9)
    #[command(
        allow_negative_numbers = true,
        after_help = "Example:\n  quarterdeck add kr O1 'Checkout conversion' --unit % --start 12 --target 20 --confidence 70"
    )]
    Kr {
        /// The objective: O1, 2027-Q1:O1, or its id
        #[arg(value_name = "OBJECTIVE")]
        objective: String,
        #[arg(value_name = "TITLE")]
        title: String,
        /// What it is measured in: %, s, orders
        #[arg(long, value_name = "U")]
        unit: String,
        /// Its value when the quarter starts
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        start: String,
        /// The value it aims at (differs from the start)
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        target: String,
        /// How likely the target is reached, 0-100 % [default: 50]
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        confidence: Option<String>,
        /// Who owns it
        #[arg(long, value_name = "NAME", default_value = "")]
        owner: String,
        #[command(flatten)]
        out: OutArgs,
    },
    /// A backlog item, at the bottom of the backlog; with no --kr it is BAU
    #[command(
        after_help = "Examples:\n  quarterdeck add item 'One-click payment' --points 5 --kr KR1.1\n  quarterdeck add item 'Fix VAT rounding' --points 2 --kind bug"
    )]
    Item {
        #[arg(value_name = "TITLE")]
        title: String,
        /// The estimate, 0-100 points
        #[arg(long, value_name = "N", default_value = "0", allow_negative_numbers = true)]
        points: String,
        /// story, bug, chore or spike
        #[arg(long, value_name = "K", value_enum, default_value = "story")]
        kind: KindWord,
        /// A key result it moves (KR1.1); repeat for more
        #[arg(long = "kr", value_name = "KR")]
        krs: Vec<String>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// A sprint after the running quarter's last one
    #[command(
        after_help = "Examples:\n  quarterdeck add sprint\n  quarterdeck add sprint --weeks 3 --capacity 24 --goal 'Buyers can save a card'"
    )]
    Sprint {
        /// Its first day (YYYY-MM-DD) [default: the day after the last sprint ends]
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        /// Its length in weeks (1-4)
        #[arg(long, value_name = "N", default_value = "2", allow_negative_numbers = true)]
        weeks: String,
        /// Its capacity in points [default: the last sprint's]
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        capacity: Option<String>,
        /// Its goal: an outcome, serving a KR (M2)
        #[arg(long, value_name = "TEXT", default_value = "")]
        goal: String,
        #[command(flatten)]
        out: OutArgs,
    },
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// What to change: #42, O1, KR1.2, S3 (after a quarter if you like), or an id
    #[arg(value_name = "REF")]
    pub reference: String,
    /// A new title (item, objective, key result)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// An item's estimate, 0-100
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub points: Option<String>,
    /// An item's kind
    #[arg(long, value_enum, value_name = "K")]
    pub kind: Option<KindWord>,
    /// An item's one-line description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Why a BAU item waits ("deferred because ...")
    #[arg(long, value_name = "TEXT")]
    pub deferred: Option<String>,
    /// Who owns it (objective, key result)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// A key result's unit
    #[arg(long, value_name = "U")]
    pub unit: Option<String>,
    /// A key result's start value
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub start: Option<String>,
    /// A key result's target value
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub target: Option<String>,
    /// A key result's confidence, 0-100 % (with check-ins: recorded as one)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub confidence: Option<String>,
    /// A sprint's goal
    #[arg(long, value_name = "G")]
    pub goal: Option<String>,
    /// A sprint's capacity in points
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub capacity: Option<String>,
    /// Why a sprint's goal serves no KR (M2)
    #[arg(long, value_name = "TEXT")]
    pub no_kr_reason: Option<String>,
    #[command(flatten)]
    pub out: OutArgs,
}

#[derive(Debug, Subcommand)]
pub enum SprintCommand {
    /// Start a sprint: what it holds now becomes its commitment
    #[command(after_help = "Example:\n  quarterdeck sprint start S3")]
    Start {
        #[arg(value_name = "SPRINT")]
        sprint: String,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Close a started sprint; unfinished items go to the next sprint (or where you say)
    #[command(
        group(ArgGroup::new("carry").args(["carry_to", "backlog"])),
        after_help = "Examples:\n  quarterdeck sprint close S3\n  quarterdeck sprint close S3 --carry-to S5\n  quarterdeck sprint close S3 --backlog"
    )]
    Close {
        #[arg(value_name = "SPRINT")]
        sprint: String,
        /// Carry unfinished items into this sprint [default: the next one not over]
        #[arg(long, value_name = "SPRINT")]
        carry_to: Option<String>,
        /// Send unfinished items to the top of the backlog instead
        #[arg(long)]
        backlog: bool,
        #[command(flatten)]
        out: OutArgs,
    },
}

#[derive(Debug, Args)]
pub struct OutArgs {
    /// Print the outcome as JSON: ref, id, summary, warnings (docs/cli.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindWord {
    Story,
    Bug,
    Chore,
    Spike,
}

impl From<KindWord> for ItemKind {
    fn from(kind: KindWord) -> Self {
        match kind {
            KindWord::Story => Self::Story,
            KindWord::Bug => Self::Bug,
            KindWord::Chore => Self::Chore,
            KindWord::Spike => Self::Spike,
        }
    }
}
