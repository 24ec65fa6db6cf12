//! [`apply`]: one command, one recorded store action (one transaction and
//! its undo step), then the method's advice on what changed.

use chrono::NaiveDate;

use super::{Carry, Command, Created, OpError, Outcome, RankTo, advice, imports, items, reviews};
use crate::{
    domain::{
        ItemState, codes,
        health::Object,
        ids::{ItemId, KeyResultId, ObjectiveId, QuarterId, RetroNoteId, SprintId},
        labels, rules,
        validate::{self, Field, FieldError, TakenDates},
        values::Confidence,
    },
    format::count,
    store::{
        CarryTo, CheckInFields, ItemChanges, KeyResultChanges, KeyResultFields, NewItem, ObjectiveChanges, ObjectiveFields,
        Opened, QuarterClose, Resolved, SprintChanges, SprintFields, Store, board::NewQuarter,
    },
};

/// The note of a check-in a KR's edit makes, when the front end gives none.
const FROM_COMMAND_LINE: &str = "set from the command line";

/// Applies `command` to the board on `today`: one transaction with its
/// undo step, or nothing at all (an error says why). The method's advice
/// on the change comes back in the outcome; it never stops the change.
pub fn apply(store: &mut Store, command: &Command, today: NaiveDate) -> Result<Outcome, OpError> {
    let done = |summary: String| Outcome { summary, created: None, warnings: Vec::new() };
    let outcome = match command {
        Command::InitQuarter { label, start, span, settings } => {
            let label = label.trim();
            if label.is_empty() {
                return Err(FieldError::new(Field::Label, "Give the quarter a label, such as 2027-Q1").into());
            }
            if let Some(error) = labels::taken_label_error(label, &store.quarter_labels_except(None)?) {
                return Err(error.into());
            }
            if let Some(board) = store.load_board()?.filter(|board| !board.quarter.is_closed()) {
                return Err(OpError::Refused(format!(
                    "the board already runs {}: close it before starting another (the board's quarters screen)",
                    board.quarter.label
                )));
            }
            let new = NewQuarter { label: label.to_owned(), start: *start, span: *span };
            let id = store.create_quarter_with(&new, *settings)?;
            let created = created(store, Resolved::Quarter(QuarterId(id)), label.to_owned())?;
            let summary = format!(
                "Started quarter {label}: {} of {} from {start}",
                count(span.count, "sprint", "sprints"),
                count(span.weeks, "week", "weeks")
            );
            with(store, today, summary, Some(created), &[(Object::Quarter, advice::QUARTER_LENGTH)])?
        }
        Command::AddObjective { quarter, title, owner, aligns_to } => {
            let fields = ObjectiveFields {
                title: title.clone(),
                owner: owner.trim().to_owned(),
                parent_id: aligns_to.parent.map(ObjectiveId::row),
                parent_note: aligns_to.note.trim().to_owned(),
            };
            let id =
                store.add_objective(quarter.row(), &fields, &format!("Added objective {}", rules::quoted(title.as_str())))?;
            let created = created_coded(store, Resolved::Objective(ObjectiveId(id)))?;
            let summary = format!("Added {} {}", created.reference, title.as_str());
            with(store, today, summary, Some(created), &[(Object::Quarter, advice::OKRS), (Object::Objective(id), advice::OKRS)])?
        }
        Command::AddKeyResult { objective, title, unit, start, target, confidence, owner, current, reading_note } => {
            first_error(validate::key_result(unit, *start, *target))?;
            // A KR's confidence until its first check-in, when none is given.
            let confidence = confidence.unwrap_or(Confidence::EVEN);
            let fields = KeyResultFields {
                title: title.clone(),
                unit: unit.trim().to_owned(),
                start: *start,
                target: *target,
                first_check_in: current.filter(|value| value != start).map(|value| CheckInFields {
                    date: today,
                    value,
                    confidence,
                    note: reading_note.clone().unwrap_or_else(|| FROM_COMMAND_LINE.to_owned()),
                }),
                owner: owner.trim().to_owned(),
                confidence,
            };
            let id = store.add_key_result(objective.row(), &fields, &format!("Added KR {}", rules::quoted(title.as_str())))?;
            let created = created_coded(store, Resolved::KeyResult(KeyResultId(id)))?;
            let summary = format!("Added {} {}", created.reference, title.as_str());
            // M10's advice on a KR that reads as a task is the health check's.
            with(
                store,
                today,
                summary,
                Some(created),
                &[
                    (Object::Quarter, advice::OKRS),
                    (Object::Objective(objective.row()), advice::OKRS),
                    (Object::KeyResult(id), advice::OKRS),
                ],
            )?
        }
        Command::AddItem { title, points, kind, krs, description, deferred_reason } => {
            let item = NewItem {
                title: title.clone(),
                points: *points,
                kind: *kind,
                description: description.trim_end().to_owned(),
                deferred_reason: deferred_reason.trim().to_owned(),
            };
            let tags: Vec<_> = krs.iter().map(|kr| kr.row()).collect();
            let id = store.add_item_tagged(&item, &tags, &format!("Added {}", rules::quoted(title.as_str())))?;
            let created = created_coded(store, Resolved::Item(ItemId(id)))?;
            let summary = format!(
                "Added {} {} ({}, {})",
                created.reference,
                title.as_str(),
                kind.as_str(),
                count(points.get(), "point", "points")
            );
            let mut outcome = with(store, today, summary, Some(created), &[(Object::Item(id), advice::ITEM)])?;
            outcome.warnings.extend(advice::bau(id, krs.is_empty()));
            outcome
        }
        Command::AddSprint { quarter, start, end, capacity, goal, no_kr_reason } => {
            let taken: Vec<TakenDates> = store
                .load_board_viewing(Some(quarter.row()))?
                .filter(|board| board.quarter.id == quarter.row())
                .map(|board| board.sprints.iter().map(|s| TakenDates { number: s.number, start: s.start, end: s.end }).collect())
                .unwrap_or_default();
            first_error(validate::sprint_dates(*start, *end, &taken))?;
            let fields = SprintFields {
                start: *start,
                end: *end,
                capacity: *capacity,
                goal: goal.trim().to_owned(),
                no_kr_reason: no_kr_reason.trim().to_owned(),
            };
            let id = store.add_sprint(quarter.row(), &fields, today, &format!("Added a sprint from {start} to {end}"))?;
            let created = created_coded(store, Resolved::Sprint(SprintId(id)))?;
            let summary = format!("Added {} from {start} to {end}, capacity {}", created.reference, capacity.get());
            with(store, today, summary, Some(created), &[(Object::Sprint(id), advice::PLANNING)])?
        }
        Command::EditItem { item, edit } => {
            let changes = ItemChanges {
                title: edit.title.clone(),
                points: edit.points,
                kind: edit.kind,
                description: edit.description.clone(),
                deferred_reason: edit.deferred_reason.clone(),
            };
            // Named with its title as it will be, so that an undo says which.
            let title = match &edit.title {
                Some(title) => title.as_str().to_owned(),
                None => store.item_title(item.row())?.unwrap_or_default(),
            };
            let summary = format!("Edited {} {}", codes::item(item.row()), rules::quoted(&title));
            store.update_item(item.row(), &changes, &summary)?;
            let touched = item_and_its_sprint(store, *item)?;
            with(store, today, summary, None, &touched)?
        }
        Command::EditObjective { objective, title, owner, aligns_to } => {
            let changes = ObjectiveChanges {
                title: title.clone(),
                owner: owner.as_ref().map(|owner| owner.trim().to_owned()),
                parent: aligns_to.as_ref().map(|to| (to.parent.map(ObjectiveId::row), to.note.trim().to_owned())),
            };
            let name = store.describe(Resolved::Objective(*objective))?.name;
            store.update_objective(objective.row(), &changes, &format!("Edited {name}"))?;
            with(store, today, format!("Edited {name}"), None, &[(Object::Objective(objective.row()), advice::OKRS)])?
        }
        Command::EditKeyResult { key_result, edit } => edit_key_result(store, *key_result, edit, today)?,
        Command::EditSprint { sprint, edit } => {
            let changes = SprintChanges {
                dates: edit.dates,
                capacity: edit.capacity,
                goal: edit.goal.as_ref().map(|goal| goal.trim().to_owned()),
                no_kr_reason: edit.no_kr_reason.as_ref().map(|reason| reason.trim().to_owned()),
            };
            let name = store.describe(Resolved::Sprint(*sprint))?.name;
            store.update_sprint(sprint.row(), &changes, &format!("Edited {name}"))?;
            with(store, today, format!("Edited {name}"), None, &[(Object::Sprint(sprint.row()), advice::PLANNING)])?
        }
        Command::Tag { item, add, remove } => {
            let rows = |krs: &[KeyResultId]| krs.iter().map(|kr| kr.row()).collect::<Vec<_>>();
            let name = codes::item(item.row());
            store.change_items_tags(&[item.row()], &rows(add), &rows(remove), &format!("Tagged {name}"))?;
            let tags = store.tag_counts(&[item.row()])?;
            let summary = format!("{name} moves {}", advice::kr_names(store, &tags)?);
            let touched = item_and_its_sprint(store, *item)?;
            let mut outcome = with(store, today, summary, None, &touched)?;
            outcome.warnings.extend(advice::bau(item.row(), tags.is_empty()));
            outcome
        }
        Command::TagSprint { sprint, add, remove } => {
            let rows = |krs: &[KeyResultId]| krs.iter().map(|kr| kr.row()).collect::<Vec<_>>();
            let name = store.describe(Resolved::Sprint(*sprint))?.name;
            store.change_sprint_krs(sprint.row(), &rows(add), &rows(remove), &format!("Linked {name} to its KRs"))?;
            let krs = store.load_board()?.and_then(|board| board.sprint(sprint.row()).map(|s| s.krs.clone())).unwrap_or_default();
            let tags: Vec<_> = krs.iter().map(|link| (link.key_result_id, 1)).collect();
            let summary = format!("{name} serves {}", advice::kr_names(store, &tags)?);
            with(store, today, summary, None, &[(Object::Sprint(sprint.row()), advice::PLANNING)])?
        }
        Command::Move { item, sprint } => {
            let name = codes::item(item.row());
            let (summary, touched) = match sprint {
                Some(sprint) => {
                    let to = store.describe(Resolved::Sprint(*sprint))?.name;
                    (format!("Planned {name} into {to}"), vec![(Object::Sprint(sprint.row()), advice::LOAD)])
                }
                None => (format!("Took {name} out to the backlog"), Vec::new()),
            };
            store.set_item_sprint(item.row(), sprint.map(SprintId::row), &summary)?;
            with(store, today, summary, None, &touched)?
        }
        Command::Rank { item, to } => {
            // The title too, as the board's undo names it ("Undid: Moved #42 'Export CSV' to the top").
            let name =
                format!("{} {}", codes::item(item.row()), rules::quoted(&store.item_title(item.row())?.unwrap_or_default()));
            let summary = match to {
                RankTo::Top => format!("Moved {name} to the top"),
                RankTo::Bottom => format!("Moved {name} to the bottom"),
                RankTo::After(other) => format!("Moved {name} below {}", codes::item(other.row())),
            };
            match to {
                RankTo::Top | RankTo::Bottom => store.rank_to_end(item.row(), *to == RankTo::Top, &summary)?,
                RankTo::After(other) if other == item => {
                    return Err(OpError::Refused(format!("{name} cannot be moved below itself: name another item")));
                }
                RankTo::After(other) => store.rank_after(item.row(), other.row(), &summary)?,
            }
            done(summary)
        }
        Command::SetState { item, state } => {
            let name = codes::item(item.row());
            let summary = format!("{name} is {}", state.as_str());
            store.set_item_state(item.row(), *state, today, &summary)?;
            done(summary)
        }
        Command::CheckIn { key_result, value, confidence, note, date } => {
            advice::check_in(store, *key_result, *value, *confidence, note, *date, today)?
        }
        Command::StartSprint { sprint } => {
            let name = store.describe(Resolved::Sprint(*sprint))?.name;
            let summary = format!("Started {name} on {today}");
            let off_dates = advice::start_off_dates(store, *sprint, today)?;
            let out_of_order = advice::start_out_of_order(store, *sprint)?;
            store.start_sprint(sprint.row(), today, &summary)?;
            let mut outcome = with(store, today, summary, None, &[(Object::Sprint(sprint.row()), advice::PLANNING)])?;
            outcome.warnings.extend(out_of_order);
            outcome.warnings.extend(off_dates);
            outcome
        }
        Command::CloseSprint { sprint, carry } => close_sprint(store, *sprint, *carry, today)?,
        Command::CloseQuarter { quarter, note, scores, objective_notes } => {
            let name = store.describe(Resolved::Quarter(*quarter))?.name;
            let close = QuarterClose {
                kr_scores: scores.iter().map(|(kr, score)| (kr.row(), *score)).collect(),
                objective_notes: objective_notes
                    .iter()
                    .map(|(objective, note)| (objective.row(), note.trim().to_owned()))
                    .collect(),
                note: note.trim().to_owned(),
            };
            store.close_quarter(quarter.row(), &close, today, &format!("Closed {name}"))?;
            done(format!("Closed {name}; each KR is scored from its progress"))
        }
        Command::OpenNextQuarter { closed } => match store.open_next_quarter(closed.row(), today, "Opened the next quarter")? {
            Opened::Quarter { id, label, carried, to_retag } => {
                let created = created(store, Resolved::Quarter(QuarterId(id)), label.clone())?;
                let summary = format!(
                    "Opened {label}: {} came over, {to_retag} to tag again",
                    count(carried as u64, "unfinished item", "unfinished items")
                );
                Outcome { summary, created: Some(created), warnings: Vec::new() }
            }
            Opened::AlreadyOpen(label) => return Err(OpError::Refused(format!("{label} runs already: nothing was opened"))),
            Opened::NotClosed => {
                return Err(OpError::Refused("the quarter before is not closed: close it first".to_owned()));
            }
        },
        Command::RetroNote { sprint, list, text } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(FieldError::new(Field::Note, "Write the note: a few words the team agreed on").into());
            }
            let name = store.describe(Resolved::Sprint(*sprint))?.name;
            let id = store.add_retro_note(sprint.row(), *list, text, &format!("Added a retro note to {name}"))?;
            let created = created(store, Resolved::RetroNote(RetroNoteId(id)), String::new())?;
            Outcome { summary: format!("Added a retro note to {name}"), created: Some(created), warnings: Vec::new() }
        }
        Command::StepState { item, forward } => items::step_state(store, *item, *forward, today)?,
        Command::SwapRanks { item, other, up } => items::swap_ranks(store, *item, *other, *up)?,
        Command::SetStates { items: chosen, state } => items::set_states(store, chosen, *state, today)?,
        Command::TagItems { items: chosen, add, remove } => items::tag_items(store, chosen, add, remove)?,
        Command::MoveItems { items: chosen, sprint } => items::move_items(store, chosen, *sprint)?,
        Command::DeleteItems { items: chosen } => items::delete_items(store, chosen)?,
        Command::EditCheckIn { check_in, edit } => reviews::edit_check_in(store, *check_in, edit)?,
        Command::SetGoalVerdict { sprint, verdict } => reviews::set_goal_verdict(store, *sprint, *verdict)?,
        Command::CloseSprintPlacing { sprint, places } => reviews::close_sprint_placing(store, *sprint, places, today)?,
        Command::SetFocus { key_result, sprints } => reviews::set_focus(store, *key_result, sprints)?,
        Command::EditRetroNote { note, text } => reviews::edit_retro_note(store, *note, text)?,
        Command::MoveRetroNote { note, up } => reviews::move_retro_note(store, *note, *up)?,
        Command::RetroNoteToItem { note } => reviews::retro_note_to_item(store, *note)?,
        Command::AddMember { quarter, name, focus_factor, roles, days_off } => {
            reviews::add_member(store, *quarter, name, *focus_factor, *roles, days_off)?
        }
        Command::EditMember { member, edit } => reviews::edit_member(store, *member, edit)?,
        Command::EditQuarter { quarter, edit } => reviews::edit_quarter(store, *quarter, edit)?,
        Command::DraftQuarter { label, start } => reviews::draft_quarter(store, label, *start)?,
        Command::Delete { object } => items::delete(store, *object)?,
        Command::ReplayStep { step, redo } => items::replay_step(store, *step, *redo)?,
        Command::Undo { confirmed } => replay(store, true, *confirmed)?,
        Command::Redo { confirmed } => replay(store, false, *confirmed)?,
        Command::ImportPlan { plan, replacing, step } => imports::import(store, today, plan, *replacing, step)?,
        Command::ImportSynced { plans, step, to } => imports::import_synced(store, today, plans, step, to)?,
        Command::LoadPlan { plan, replace } => imports::load(store, today, plan, *replace)?,
    };
    Ok(outcome)
}

/// An outcome with the health check's advice on the `touched` objects.
fn with(
    store: &Store,
    today: NaiveDate,
    summary: String,
    created: Option<Created>,
    touched: &[advice::Touched],
) -> Result<Outcome, OpError> {
    Ok(Outcome { summary, created, warnings: advice::health(store, today, touched)? })
}

/// The first of `errors`, as the command's error.
fn first_error(errors: Vec<FieldError>) -> Result<(), OpError> {
    errors.into_iter().next().map_or(Ok(()), |error| Err(OpError::Field(error)))
}

/// What was made, named by `reference`.
pub(super) fn created(store: &Store, object: Resolved, reference: String) -> Result<Created, OpError> {
    let found = store.describe(object)?;
    Ok(Created { object, reference, uid: found.uid })
}

/// What was made, named by its code: the name's part before its quarter
/// (`KR1.2` of `KR1.2 in 2027-Q1`).
fn created_coded(store: &Store, object: Resolved) -> Result<Created, OpError> {
    let found = store.describe(object)?;
    let reference = found.name.split_once(" in ").map_or(found.name.as_str(), |(code, _)| code).to_owned();
    Ok(Created { object, reference, uid: found.uid })
}

/// An item and the sprint it is planned into: what an edit of its points
/// or tags touches (the sprint's load and split).
fn item_and_its_sprint(store: &Store, item: ItemId) -> Result<Vec<advice::Touched>, OpError> {
    let mut touched = vec![(Object::Item(item.row()), advice::ITEM)];
    touched.extend(store.item_sprint(item.row())?.map(|sprint| (Object::Sprint(sprint), advice::LOAD)));
    Ok(touched)
}

fn edit_key_result(
    store: &mut Store,
    key_result: KeyResultId,
    edit: &super::KeyResultEdit,
    today: NaiveDate,
) -> Result<Outcome, OpError> {
    let board = store.load_board_viewing(None)?;
    let kr = board.as_ref().and_then(|board| board.key_result(key_result.row()).cloned());
    // M9 on the KR as it will be: the fields changed over those it has.
    if let Some(kr) = &kr {
        let unit = edit.unit.as_deref().unwrap_or(&kr.unit);
        first_error(validate::key_result(unit, edit.start.unwrap_or(kr.start), edit.target.unwrap_or(kr.target)))?;
    }
    // A new current value is a check-in, and so is a new confidence on a
    // KR that has check-ins (README: a KR's confidence is its latest
    // check-in's): never an overwrite.
    let check_in = kr.as_ref().and_then(|kr| {
        let value = edit.current.filter(|value| *value != kr.current);
        let confidence = edit.confidence.filter(|confidence| confidence.get() != kr.confidence);
        (value.is_some() || (confidence.is_some() && !kr.check_ins.is_empty())).then(|| CheckInFields {
            date: today,
            value: value.unwrap_or(kr.current),
            confidence: confidence.unwrap_or(Confidence::from_stored(kr.confidence)),
            note: edit.reading_note.clone().unwrap_or_else(|| FROM_COMMAND_LINE.to_owned()),
        })
    });
    let changes = KeyResultChanges {
        title: edit.title.clone(),
        unit: edit.unit.as_ref().map(|unit| unit.trim().to_owned()),
        start: edit.start,
        target: edit.target,
        confidence: edit.confidence.filter(|_| check_in.is_none()),
        check_in,
        owner: edit.owner.as_ref().map(|owner| owner.trim().to_owned()),
    };
    let name = store.describe(Resolved::KeyResult(key_result))?.name;
    store.update_key_result(key_result.row(), &changes, &format!("Edited {name}"))?;
    let summary = format!("Edited {name}{}", kr_edit_words(edit, changes.check_in.is_some()));
    with(store, today, summary, None, &[(Object::KeyResult(key_result.row()), advice::OKRS)])
}

/// What a KR edit set, in words, after the KR's name (`: target 25,
/// confidence 40 % (checked in)`): a new reading or confidence is a
/// check-in, and the summary says so.
fn kr_edit_words(edit: &super::KeyResultEdit, checked_in: bool) -> String {
    let number = crate::format::number;
    let mut words: Vec<String> = Vec::new();
    words.extend(edit.title.as_ref().map(|title| format!("title {}", rules::quoted(title.as_str()))));
    words.extend(edit.unit.as_ref().map(|unit| format!("unit {}", rules::quoted(unit.trim()))));
    words.extend(edit.start.map(|start| format!("start {}", number(start))));
    words.extend(edit.target.map(|target| format!("target {}", number(target))));
    words.extend(edit.current.map(|current| format!("current {}", number(current))));
    words.extend(edit.confidence.map(|confidence| format!("confidence {} %", confidence.get())));
    words.extend(edit.owner.as_ref().map(|owner| format!("owner {}", rules::quoted(owner.trim()))));
    match words.as_slice() {
        [] => String::new(),
        _ if checked_in => format!(": {} (checked in)", words.join(", ")),
        _ => format!(": {}", words.join(", ")),
    }
}

fn close_sprint(store: &mut Store, sprint: SprintId, carry: Carry, today: NaiveDate) -> Result<Outcome, OpError> {
    let name = store.describe(Resolved::Sprint(sprint))?.name;
    let to = match carry {
        Carry::Sprint(to) if to == sprint => {
            return Err(OpError::Refused(format!("{name} cannot carry its items into itself: name a later sprint")));
        }
        Carry::Sprint(to) => CarryTo::Sprint(to.row()),
        Carry::Backlog => CarryTo::TopOfBacklog,
        Carry::Proposed => {
            let board = store.load_board()?;
            let closing = board.as_ref().and_then(|board| board.sprint(sprint.row()));
            match (board.as_ref(), closing) {
                (Some(board), Some(closing)) => {
                    board.carry_target(closing, today).map_or(CarryTo::TopOfBacklog, |next| CarryTo::Sprint(next.id))
                }
                _ => CarryTo::TopOfBacklog,
            }
        }
    };
    let unfinished: Vec<_> = store
        .sprint_items(sprint.row())?
        .into_iter()
        .filter(|item| item.state != ItemState::Done)
        .map(|item| (item.id, to))
        .collect();
    store.close_sprint(sprint.row(), today, &unfinished, &format!("Closed {name}"))?;
    let went = match to {
        CarryTo::Sprint(next) => store.describe(Resolved::Sprint(SprintId(next)))?.name,
        CarryTo::TopOfBacklog | CarryTo::BottomOfBacklog => "the backlog".to_owned(),
    };
    let summary = match unfinished.len() {
        0 => format!("Closed {name}; every item was done"),
        moved => format!("Closed {name}; {} went to {went}", count(moved as u64, "unfinished item", "unfinished items")),
    };
    let mut touched = vec![(Object::Sprint(sprint.row()), advice::CLOSE)];
    if let CarryTo::Sprint(next) = to {
        touched.push((Object::Sprint(next), advice::LOAD));
    }
    with(store, today, summary, None, &touched)
}

/// Undo (`back`) or redo of this user's newest step.
fn replay(store: &mut Store, back: bool, confirmed: bool) -> Result<Outcome, OpError> {
    let (verb, asking) = if back { ("Undo", store.undo_needs_asking()?) } else { ("Redo", store.redo_needs_asking()?) };
    let label = match asking {
        Some((_, what)) if !confirmed => return Err(OpError::NeedsConfirming(format!("{verb} {what}"))),
        Some((step, _)) if back => store.undo_step(step)?,
        Some((step, _)) => store.redo_step(step)?,
        None if back => store.undo()?,
        None => store.redo()?,
    };
    match label {
        Some(label) => Ok(Outcome {
            summary: format!("{}: {label}", if back { "Undone" } else { "Redone" }),
            created: None,
            warnings: Vec::new(),
        }),
        None => Err(OpError::Refused(format!("Nothing to {}: no step of yours is left", verb.to_lowercase()))),
    }
}
