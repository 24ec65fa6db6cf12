//! The model test of the command layer: random `ops::Command`s applied both
//! to a real board file (through `ops::apply`, as the board, the command
//! line and the importers apply them) and to a plain in-memory model
//! written here (`model/mod.rs`). After every step the board as the store's
//! public reads give it equals the model; a command the model refuses must
//! be refused by the store and change nothing. Then undo, step by step,
//! gives back each earlier state, and redo each later one.
//! docs/reliability.md, "Fuzzing and properties", gives the case counts
//! and the long run.

#![allow(clippy::unwrap_used)]

#[path = "model/mod.rs"]
mod model;

use model::{Model, Op, op, view_of_store};
use proptest::prelude::*;
use quarterdeck::{
    domain::ids::QuarterId,
    ops::{self, Command},
    store::{Resolved, Store},
};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
}

/// A quarter of six two-week sprints from today, with nothing in it: the
/// model's empty board. Its own steps are not part of the sequence.
fn empty_quarter(store: &mut Store) -> Model {
    let span = quarterdeck::domain::values::SprintSpan::parse("6", "2").unwrap();
    let init = Command::InitQuarter { label: "2027-Q1".into(), start: today(), span, settings: Default::default() };
    let outcome = ops::apply(store, &init, today()).unwrap();
    let Some(Resolved::Quarter(QuarterId(quarter))) = outcome.created.map(|created| created.object) else {
        panic!("a quarter was made")
    };
    let board = store.load_board().unwrap().unwrap();
    Model::new(quarter, board.sprints.iter().map(|sprint| sprint.id).collect(), today())
}

/// The empty quarter with O1 and its KR1.1 and KR1.2, made through the
/// model's own steps, so that tagging and check-ins have KRs from the start.
fn quarter_with_okrs(store: &mut Store) -> Model {
    let mut model = empty_quarter(store);
    // With one objective, any index picks it.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let only = proptest::strategy::ValueTree::current(&any::<proptest::sample::Index>().new_tree(&mut runner).unwrap());
    let index = |_| only;
    let setup = [
        Op::AddObjective { title: 1, owner: 1 },
        Op::AddKeyResult { objective: index(0), unit: true, start: 0, target: 3, confidence: None, current: Some(1) },
        Op::AddKeyResult { objective: index(0), unit: true, start: 3, target: 0, confidence: Some(80), current: None },
    ];
    for op in &setup {
        let (command, expected) = model.command(op).unwrap();
        let outcome = ops::apply(store, &command, today()).unwrap();
        model = expected.unwrap();
        model.take_created(outcome.created.map(|created| created.object), store);
    }
    model
}

fn run(ops_list: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("board.sqlite3")).unwrap();
    let mut model = quarter_with_okrs(&mut store);
    let (base_steps, _) = store.history_depths().unwrap();
    // The model after each step that changed something, and where the board
    // stands among them: undo goes one back, redo one on, and a new change
    // ends the redo branch.
    let mut snapshots = vec![model.clone()];
    let mut at = 0;
    let mut done = Vec::new();
    for op in ops_list {
        let undo = matches!(op, Op::Undo);
        if undo || matches!(op, Op::Redo) {
            if (undo && at == 0) || (!undo && at + 1 == snapshots.len()) {
                continue;
            }
            let command = if undo { Command::Undo { confirmed: true } } else { Command::Redo { confirmed: true } };
            let result = ops::apply(&mut store, &command, today());
            done.push(format!("{command:?}"));
            prop_assert!(result.is_ok(), "{:?} failed: {:?} after {:#?}", command, result.err().map(|e| e.to_string()), done);
            at = if undo { at - 1 } else { at + 1 };
            model = snapshots[at].clone();
        } else {
            let Some((command, expected)) = model.command(op) else { continue };
            let result = ops::apply(&mut store, &command, today());
            done.push(format!("{command:?}"));
            match (expected, &result) {
                (Ok(mut next), Ok(outcome)) => {
                    next.take_created(outcome.created.as_ref().map(|created| created.object), &store);
                    if next != model {
                        snapshots.truncate(at + 1);
                        snapshots.push(next.clone());
                        at += 1;
                    }
                    model = next;
                }
                // Refused by both: the comparison below shows nothing changed.
                (Err(_), Err(_)) => {}
                (Ok(_), Err(error)) => {
                    return Err(TestCaseError::fail(format!("the store refused what the model took: {error}\nafter {done:#?}")));
                }
                (Err(why), Ok(outcome)) => {
                    return Err(TestCaseError::fail(format!(
                        "the store took what the model refuses ({why}): {}\nafter {done:#?}",
                        outcome.summary
                    )));
                }
            }
        }
        prop_assert_eq!(view_of_store(&store, &model), model.view(), "after {:#?}", done);
        let (undo_depth, redo_depth) = store.history_depths().unwrap();
        prop_assert_eq!(
            (undo_depth - base_steps, redo_depth),
            (at, snapshots.len() - 1 - at),
            "one step per change, after {:#?}",
            done
        );
    }
    // Undo each step in turn: each gives back the state before it.
    for back in (0..at).rev() {
        let undone = ops::apply(&mut store, &Command::Undo { confirmed: true }, today());
        prop_assert!(undone.is_ok(), "undo to {}: {:?}", back, undone.err().map(|e| e.to_string()));
        let expected = &snapshots[back];
        prop_assert_eq!(view_of_store(&store, expected), expected.view(), "after undoing to {} of {:#?}", back, done);
    }
    // And redo each again, to the end of the redo branch.
    for (forward, expected) in snapshots.iter().enumerate().skip(1) {
        let redone = ops::apply(&mut store, &Command::Redo { confirmed: true }, today());
        prop_assert!(redone.is_ok(), "redo to {}: {:?}", forward, redone.err().map(|e| e.to_string()));
        prop_assert_eq!(view_of_store(&store, expected), expected.view(), "after redoing to {} of {:#?}", forward, done);
    }
    prop_assert_eq!(store.integrity_check().unwrap(), "ok");
    if std::env::var_os("MODEL_STATS").is_some() {
        eprintln!("{} commands, {} steps, {} items, {} KRs", done.len(), at, model.items.len(), model.key_results().count());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_store_agrees_with_the_model_after_every_command_and_every_undo_and_redo(
        ops_list in prop::collection::vec(op(), 1..50)
    ) {
        run(&ops_list)?;
    }
}

/// Found by the model test: moving the item already at the top to the top
/// (or the one at the bottom to the bottom, or an item below the one it
/// is already just below) rewrote its rank and left an undo step that
/// undid nothing the user could see. A move that moves nothing leaves no step.
#[test]
fn a_move_that_changes_no_order_leaves_no_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("board.sqlite3")).unwrap();
    empty_quarter(&mut store);
    let add = |store: &mut Store, n: u8| {
        let command = model::commands_add_item(n);
        match ops::apply(store, &command, today()).unwrap().created.map(|created| created.object) {
            Some(Resolved::Item(id)) => id,
            other => panic!("{other:?}"),
        }
    };
    let (first, second) = (add(&mut store, 1), add(&mut store, 2));
    let (steps, _) = store.history_depths().unwrap();
    for to in [ops::RankTo::Top, ops::RankTo::After(first)] {
        let item = if to == ops::RankTo::Top { first } else { second };
        ops::apply(&mut store, &Command::Rank { item, to }, today()).unwrap();
    }
    ops::apply(&mut store, &Command::Rank { item: second, to: ops::RankTo::Bottom }, today()).unwrap();
    assert_eq!(store.history_depths().unwrap().0, steps, "no step for moves that move nothing");
    ops::apply(&mut store, &Command::Rank { item: second, to: ops::RankTo::Top }, today()).unwrap();
    assert_eq!(store.history_depths().unwrap().0, steps + 1, "a real move is one step");
}

/// Found by the model test: after a KR was deleted, the KRs after it were
/// renumbered (KR1.3 became KR1.2) but backlog rows read before the next
/// board load still named their tags by the old code. Rows name a tag by
/// the code the board shows, right after a write.
#[test]
fn a_tag_is_named_by_its_new_code_right_after_an_earlier_kr_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("board.sqlite3")).unwrap();
    let model = quarter_with_okrs(&mut store);
    let krs: Vec<i64> = model.key_results().map(|kr| kr.id).collect();
    let item = match ops::apply(&mut store, &model::commands_add_item(1), today()).unwrap().created.map(|c| c.object) {
        Some(Resolved::Item(id)) => id,
        other => panic!("{other:?}"),
    };
    let tag = Command::Tag { item, add: vec![quarterdeck::domain::ids::KeyResultId(krs[1])], remove: Vec::new() };
    ops::apply(&mut store, &tag, today()).unwrap();
    let codes = |store: &Store| store.backlog_page(&Default::default(), 0, 10).unwrap()[0].kr_codes.clone();
    assert_eq!(codes(&store), ["KR1.2"]);
    let delete = Command::Delete { object: Resolved::KeyResult(quarterdeck::domain::ids::KeyResultId(krs[0])) };
    ops::apply(&mut store, &delete, today()).unwrap();
    assert_eq!(codes(&store), ["KR1.1"], "KR1.2 is KR1.1 now");
    ops::apply(&mut store, &Command::Undo { confirmed: true }, today()).unwrap();
    assert_eq!(codes(&store), ["KR1.2"], "and KR1.2 again after the undo");
}

/// Found by the model test: a Command that changed nothing (taking an item
/// that is in no sprint out to the backlog) left no step but threw away the
/// redo branch, so the step just undone could not be redone.
#[test]
fn a_command_that_changes_nothing_keeps_the_redo_branch() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("board.sqlite3")).unwrap();
    empty_quarter(&mut store);
    let item = match ops::apply(&mut store, &model::commands_add_item(1), today()).unwrap().created.map(|c| c.object) {
        Some(Resolved::Item(id)) => id,
        other => panic!("{other:?}"),
    };
    let doing = Command::SetState { item, state: quarterdeck::domain::ItemState::Doing };
    ops::apply(&mut store, &doing, today()).unwrap();
    ops::apply(&mut store, &Command::Undo { confirmed: true }, today()).unwrap();
    let (undo_depth, _) = store.history_depths().unwrap();
    ops::apply(&mut store, &Command::Move { item, sprint: None }, today()).unwrap();
    assert_eq!(store.history_depths().unwrap(), (undo_depth, 1), "no step, and the redo branch kept");
    assert!(ops::apply(&mut store, &Command::Redo { confirmed: true }, today()).is_ok());
}
