//! The plan file's round trip is exact: a board exported, imported into an
//! empty board and exported again gives the same bytes: the demo, a
//! quarter with closed sprints and carry-overs, and random boards built
//! through the store's own writes (a property test).

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use quarterdeck::{
    domain::{GoalVerdict, ItemKind, ItemState, roles::Roles},
    plan::Plan,
    store::{
        CarryTo, CheckInFields, KeyResultFields, MemberFields, NewItem, ObjectiveFields, Store, board::NewQuarter, plan_to_toml,
    },
};

/// The board's current quarter as the plan file's text.
fn exported(store: &Store) -> String {
    let quarter = store.quarter_by_label(None).unwrap().expect("a quarter");
    plan_to_toml(&store.export_plan(quarter).unwrap()).unwrap()
}

/// Exports `store`, imports the text into an empty board, exports that.
fn round_trip(store: &Store, today: NaiveDate) -> (String, String) {
    let first = exported(store);
    let plan = Plan::parse_located(&first, "first.toml").unwrap_or_else(|error| panic!("{error}\n{first}"));
    let (_dir, path) = common::board_path();
    let mut empty = Store::open(&path).unwrap();
    empty.import_plan_file(&plan, today, None, "import").unwrap();
    (first, exported(&empty))
}

#[test]
fn the_demo_exports_imports_and_exports_the_same_bytes() {
    let (_dir, path) = common::board_path();
    let store = common::demo_store(&path);
    let (first, second) = round_trip(&store, common::today());
    assert_eq!(first, second);
    assert!(first.contains("[[sprints.record]]") && first.contains("[[sprints.commitment]]"), "closed sprints' records");
}

#[test]
fn a_quarter_with_closed_sprints_carry_overs_and_a_deleted_item_round_trips() {
    let (_dir, path) = common::board_path();
    let mut store = common::demo_store(&path);
    let today = common::today();
    let board = store.load_board().unwrap().unwrap();
    let (s3, s4) = (board.sprints[2].id, board.sprints[3].id);
    let open: Vec<i64> = store
        .export_plan(board.quarter.id)
        .unwrap()
        .items
        .iter()
        .filter(|item| item.sprint == Some(3) && item.state != ItemState::Done)
        .filter_map(|item| item.number)
        .collect();
    assert!(open.len() >= 2, "the demo's sprint 3 has unfinished work");
    let carry = [(open[0], CarryTo::Sprint(s4)), (open[1], CarryTo::TopOfBacklog)];
    let carry: Vec<_> = carry.into_iter().chain(open[2..].iter().map(|id| (*id, CarryTo::BottomOfBacklog))).collect();
    store.close_sprint(s3, today, &carry, "close S3").unwrap();
    store.set_goal_verdict(s3, GoalVerdict::Partly, "verdict").unwrap();
    store.start_sprint(s4, today, "start S4").unwrap();
    let last = store.add_item(&new_item("Thrown away", 3), None, "add").unwrap();
    store.delete_items(&[last], "delete").unwrap();

    let (first, second) = round_trip(&store, today);
    assert_eq!(first, second);
    assert!(first.contains(&format!("item_numbers_used = {last}")), "the deleted item's number stays used");
    assert!(first.contains("carried_to = \"S4\"") && first.contains("carried_to = \"top\""), "carry-overs recorded");
    assert!(first.contains("verdict = \"partly\""));
}

fn new_item(title: &str, points: u32) -> NewItem {
    NewItem {
        title: quarterdeck::domain::values::Title::parse(title).expect("a title"),
        points: quarterdeck::domain::values::Points::new(points).expect("points"),
        kind: ItemKind::Story,
        description: String::new(),
        deferred_reason: String::new(),
    }
}

/// One write a random board is built with.
#[derive(Debug, Clone)]
enum Write {
    Item { points: u32, kind: usize, tag: Option<usize>, reason: bool },
    State { item: usize, state: usize },
    Plan { item: usize, sprint: Option<usize> },
    Rank { item: usize, top: bool },
    Delete { item: usize },
    CheckIn { kr: usize, value: i32, days_ago: u64 },
    Retro { kind: usize, text: u8 },
    Member { focus: u8, days: u8, po: bool },
    StartFirst,
    CloseFirst { to_backlog: bool },
}

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        4 => (0_u32..=13, 0_usize..4, proptest::option::of(0_usize..4), any::<bool>())
            .prop_map(|(points, kind, tag, reason)| Write::Item { points, kind, tag, reason }),
        2 => (0_usize..20, 0_usize..3).prop_map(|(item, state)| Write::State { item, state }),
        2 => (0_usize..20, proptest::option::of(0_usize..3)).prop_map(|(item, sprint)| Write::Plan { item, sprint }),
        1 => (0_usize..20, any::<bool>()).prop_map(|(item, top)| Write::Rank { item, top }),
        1 => (0_usize..20).prop_map(|item| Write::Delete { item }),
        2 => (0_usize..4, -50_i32..150, 0_u64..20).prop_map(|(kr, value, days_ago)| Write::CheckIn { kr, value, days_ago }),
        1 => (0_usize..3, any::<u8>()).prop_map(|(kind, text)| Write::Retro { kind, text }),
        1 => (0_u8..=100, 0_u8..4, any::<bool>()).prop_map(|(focus, days, po)| Write::Member { focus, days, po }),
        1 => Just(Write::StartFirst),
        1 => any::<bool>().prop_map(|to_backlog| Write::CloseFirst { to_backlog }),
    ]
}

/// Builds a board from `writes` through the store's own write functions;
/// a write the board refuses (an item already gone) is skipped, as a user's.
fn build(store: &mut Store, objectives: usize, writes: &[Write], today: NaiveDate) {
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let new = NewQuarter {
        label: "2027-Q1".into(),
        start,
        span: quarterdeck::domain::values::SprintSpan::new(3, 2).expect("a sprint span"),
    };
    let quarter = store.create_quarter(&new, today).unwrap();
    for o in 0..objectives {
        let fields = ObjectiveFields {
            title: quarterdeck::domain::values::Title::parse(&format!("Objective {o}")).expect("a title"),
            owner: "Ana".into(),
            parent_id: None,
            parent_note: String::new(),
        };
        let objective = store.add_objective(quarter, &fields, "add objective").unwrap();
        for k in 0..2 {
            let fields = KeyResultFields {
                title: quarterdeck::domain::values::Title::parse(&format!("Result {o}.{k}")).expect("a title"),
                unit: "%".into(),
                start: 10.0 + f64::from(k),
                target: 20.5,
                first_check_in: None,
                owner: String::new(),
                confidence: quarterdeck::domain::values::Confidence::new(50).expect("a confidence"),
            };
            store.add_key_result(objective, &fields, "add kr").unwrap();
        }
    }
    let mut items: Vec<i64> = Vec::new();
    for write in writes {
        let board = store.load_board().unwrap().unwrap();
        let krs: Vec<i64> = board.key_results().map(|kr| kr.id).collect();
        let sprints: Vec<i64> = board.sprints.iter().map(|sprint| sprint.id).collect();
        let pick = |index: usize| (!items.is_empty()).then(|| items[index % items.len()]);
        let done = match write.clone() {
            Write::Item { points, kind, tag, reason } => {
                let mut item = new_item(&format!("Item \"{}\" # {points}", items.len()), points);
                item.kind = ItemKind::ALL[kind % ItemKind::ALL.len()];
                if reason {
                    item.deferred_reason = "waits for the audit".into();
                }
                let tag = tag.and_then(|index| krs.get(index % krs.len().max(1)).copied());
                store.add_item(&item, tag, "add item").map(|id| items.push(id))
            }
            Write::State { item, state } => match pick(item) {
                Some(id) => store.set_item_state(id, ItemState::ALL[state], today, "state"),
                None => Ok(()),
            },
            Write::Plan { item, sprint } => match pick(item) {
                Some(id) => store.set_item_sprint(id, sprint.map(|index| sprints[index % sprints.len()]), "plan"),
                None => Ok(()),
            },
            Write::Rank { item, top } => match pick(item) {
                Some(id) => store.rank_to_end(id, top, "rank"),
                None => Ok(()),
            },
            Write::Delete { item } => match pick(item) {
                Some(id) => {
                    items.retain(|kept| *kept != id);
                    store.delete_items(&[id], "delete")
                }
                None => Ok(()),
            },
            Write::CheckIn { kr, value, days_ago } => match krs.get(kr % krs.len().max(1)) {
                Some(&kr) => {
                    let fields = CheckInFields {
                        date: today - Days::new(days_ago),
                        value: f64::from(value) / 4.0,
                        confidence: quarterdeck::domain::values::Confidence::new(60).expect("a confidence"),
                        note: format!("reading {value}"),
                    };
                    store.add_check_in(kr, &fields, "check in").map(|_| ())
                }
                None => Ok(()),
            },
            Write::Retro { kind, text } => {
                let list = [
                    quarterdeck::domain::retro::RetroList::WentWell,
                    quarterdeck::domain::retro::RetroList::ToImprove,
                    quarterdeck::domain::retro::RetroList::OkrReflection,
                ][kind];
                store.add_retro_note(sprints[0], list, &format!("note {text} = 'quoted'"), "retro").map(|_| ())
            }
            Write::Member { focus, days, po } => {
                let roles = Roles { product_owner: po, ..Roles::default() };
                let fields = MemberFields {
                    name: format!("Member {focus}"),
                    focus_factor: quarterdeck::domain::values::FocusFactor::new(u32::from(focus)).expect("a focus factor"),
                    days_off: vec![(
                        sprints[1],
                        quarterdeck::domain::values::DaysOff::of(f64::from(days) / 2.0, 10, sprints[1]).expect("days off"),
                    )],
                    roles,
                };
                store.add_member(quarter, &fields, "member").map(|_| ())
            }
            Write::StartFirst => store.start_sprint(sprints[0], today, "start"),
            Write::CloseFirst { to_backlog } => {
                let carry: Vec<_> = store
                    .export_plan(quarter)
                    .unwrap()
                    .items
                    .iter()
                    .filter(|item| item.sprint == Some(1) && item.state != ItemState::Done)
                    .filter_map(|item| item.number)
                    .map(|id| (id, if to_backlog { CarryTo::BottomOfBacklog } else { CarryTo::Sprint(sprints[1]) }))
                    .collect();
                store.close_sprint(sprints[0], today, &carry, "close")
            }
        };
        if let (Err(error), Ok(_)) = (done, std::env::var("PLAN_DEBUG")) {
            eprintln!("{write:?} refused: {error:#}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_random_board_round_trips_byte_for_byte(objectives in 1_usize..3, writes in proptest::collection::vec(write(), 0..40)) {
        let today = NaiveDate::from_ymd_opt(2027, 1, 25).unwrap();
        let (_dir, path) = common::board_path();
        let mut store = Store::open(&path).unwrap();
        build(&mut store, objectives, &writes, today);
        let (first, second) = round_trip(&store, today);
        if std::env::var("PLAN_DEBUG").is_ok() { eprintln!("{first}"); }
        prop_assert_eq!(first, second);
    }
}

#[test]
fn replacing_the_next_quarter_keeps_its_carried_items_tags_to_the_closed_one() {
    let (_dir, path) = common::board_path();
    let mut store = common::demo_store(&path);
    let day = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    let closed = store.load_board().unwrap().unwrap().quarter.id;
    store.close_quarter(closed, &quarterdeck::store::QuarterClose::default(), day, "Closed").unwrap();
    store.open_next_quarter(closed, day, "Opened").unwrap();
    let first = exported(&store);
    assert!(first.contains("needs_retag = true") && first.contains("other_krs = ["), "carried items with their old tags");

    let plan = Plan::parse_located(&first, "next.toml").unwrap();
    let opened = store.quarter_of_plan(&plan).unwrap();
    assert!(opened.is_some(), "the board holds the file's quarter");
    store.import_plan_file(&plan, day, opened, "import --replace").unwrap();
    assert_eq!(exported(&store), first, "replaced by itself, the quarter is unchanged, history tags included");
    let closed_plan = store.export_plan(closed).unwrap();
    assert_eq!(closed_plan.quarter.state, Some(quarterdeck::plan::QuarterStateWord::Closed));
    assert!(closed_plan.objectives.iter().flat_map(|o| &o.key_results).all(|kr| kr.score.is_some()), "scores kept");
    // What the closed quarter delivered stays with it, in its sprints.
    assert!(closed_plan.items.iter().any(|item| item.done_in_earlier_quarter && item.sprint.is_some()));
    // A closed quarter replaced by its own export is unchanged too.
    let closed_text = plan_to_toml(&closed_plan).unwrap();
    let reread = Plan::parse_located(&closed_text, "closed.toml").unwrap();
    let found = store.quarter_of_plan(&reread).unwrap();
    let replaced = store.import_plan_file(&reread, day, found, "import --replace").unwrap();
    assert_eq!(plan_to_toml(&store.export_plan(replaced).unwrap()).unwrap(), closed_text);
    assert_eq!(exported(&store), first, "the open quarter is untouched, its items' history tags too");
}

#[test]
fn imported_items_keep_their_external_key_and_fingerprint_through_the_plan_file() {
    use quarterdeck::{
        import::{ExternalItem, Source, StatusCategory, mapping::Maps},
        ops::external::{ExternalImport, import_external},
    };
    let (_dir, path) = common::board_path();
    let mut store = common::demo_store(&path);
    let today = common::today();
    let item = |key: &str, title: &str| ExternalItem {
        line: 2,
        key: key.to_owned(),
        title: title.to_owned(),
        description: "From Jira".to_owned(),
        points: Some(3.0),
        status: "In Progress".to_owned(),
        category: StatusCategory::Doing,
        labels: Vec::new(),
        sprints: vec!["S3".to_owned()],
        kind: Some("Bug".to_owned()),
        parent: None,
        priority: None,
        created: None,
        updated: None,
        done_at: None,
        notes: Vec::new(),
        depends: Vec::new(),
        extra: Vec::new(),
    };
    let mut maps = Maps::default();
    let board = store.load_board().unwrap().unwrap();
    let s3 = &board.sprints[2];
    let target = quarterdeck::import::mapping::SprintTarget { id: s3.id, code: "S3".into(), closed: false };
    maps.sprint_names.insert("s3".into(), target);
    let how = ExternalImport {
        source: Source::JiraCsv,
        maps: &maps,
        overwrite: false,
        dry_run: false,
        step: "Imported".into(),
        list_all: true,
    };
    let items = || vec![Ok(item("PROJ-1", "Export CSV")), Ok(item("PROJ-2", "Import CSV"))].into_iter();
    let report = import_external(&mut store, &how, items(), today).unwrap();
    assert_eq!(report.created.len(), 2);
    let (first, second) = round_trip(&store, today);
    assert_eq!(first, second);
    assert!(first.contains("[items.external]\nsource = \"jira-csv\"\nkey = \"PROJ-1\"\nfingerprint = "), "{first}");
    // On the board the plan made, the same file finds its items unchanged.
    let plan = Plan::parse_located(&first, "first.toml").unwrap();
    let (_other_dir, other_path) = common::board_path();
    let mut other = Store::open(&other_path).unwrap();
    other.import_plan_file(&plan, today, None, "import").unwrap();
    let board = other.load_board().unwrap().unwrap();
    let mut maps = Maps::default();
    let target = quarterdeck::import::mapping::SprintTarget { id: board.sprints[2].id, code: "S3".into(), closed: false };
    maps.sprint_names.insert("s3".into(), target);
    let how = ExternalImport { maps: &maps, ..how };
    let again = import_external(&mut other, &how, items(), today).unwrap();
    assert_eq!((again.created.len(), again.updated.len(), again.unchanged, again.skipped.len()), (0, 0, 2, 0));
}
