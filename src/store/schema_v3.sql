-- Quarterdeck board, schema version 3: undo and redo that survive a restart.
-- Documented in docs/schema.md ("History").
--
-- While a user action is being recorded (history_recording.step is set),
-- triggers write, for every row of user data it changes, the SQL statement
-- that reverses the change into change_log. Undoing a step runs its
-- statements newest first; the triggers record that reversal too, and it
-- becomes the step's redo. Derived data (backlog_tally, the rank and points
-- copies on item_kr) is kept by its own triggers and never logged.
-- The statements are built by SQLite's quote(), never from text pasted
-- together outside SQL.

CREATE TABLE history_step (
    id    INTEGER PRIMARY KEY,
    label TEXT NOT NULL,                  -- "Moved 'Export CSV' to Sprint 3"
    state TEXT NOT NULL CHECK (state IN ('done', 'undone')),
    at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE change_log (
    seq  INTEGER PRIMARY KEY,
    step INTEGER NOT NULL REFERENCES history_step (id) ON DELETE CASCADE,
    sql  TEXT NOT NULL                    -- reverses one row change
);
CREATE INDEX change_log_by_step ON change_log (step, seq);

-- One row: the step being recorded now, or NULL.
CREATE TABLE history_recording (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    step INTEGER
);
INSERT INTO history_recording (only, step) VALUES (1, NULL);

-- quarter
CREATE TRIGGER quarter_log_insert AFTER INSERT ON quarter WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM quarter WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER quarter_log_delete AFTER DELETE ON quarter WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO quarter (id, label, start_date, planning_day) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.label) || ', ' || quote(OLD.start_date) || ', ' || quote(OLD.planning_day) || ')' FROM history_recording;
END;
CREATE TRIGGER quarter_log_update AFTER UPDATE ON quarter WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE quarter SET ' || 'label = ' || quote(OLD.label) || ', ' || 'start_date = ' || quote(OLD.start_date) || ', ' || 'planning_day = ' || quote(OLD.planning_day) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- objective
CREATE TRIGGER objective_log_insert AFTER INSERT ON objective WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM objective WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER objective_log_delete AFTER DELETE ON objective WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO objective (id, quarter_id, position, title, owner, parent_id, parent_note) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.quarter_id) || ', ' || quote(OLD.position) || ', ' || quote(OLD.title) || ', ' || quote(OLD.owner) || ', ' || quote(OLD.parent_id) || ', ' || quote(OLD.parent_note) || ')' FROM history_recording;
END;
CREATE TRIGGER objective_log_update AFTER UPDATE ON objective WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE objective SET ' || 'quarter_id = ' || quote(OLD.quarter_id) || ', ' || 'position = ' || quote(OLD.position) || ', ' || 'title = ' || quote(OLD.title) || ', ' || 'owner = ' || quote(OLD.owner) || ', ' || 'parent_id = ' || quote(OLD.parent_id) || ', ' || 'parent_note = ' || quote(OLD.parent_note) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- key_result
CREATE TRIGGER key_result_log_insert AFTER INSERT ON key_result WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM key_result WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER key_result_log_delete AFTER DELETE ON key_result WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO key_result (id, objective_id, position, title, unit, start_value, target_value, current_value, owner, confidence) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.objective_id) || ', ' || quote(OLD.position) || ', ' || quote(OLD.title) || ', ' || quote(OLD.unit) || ', ' || quote(OLD.start_value) || ', ' || quote(OLD.target_value) || ', ' || quote(OLD.current_value) || ', ' || quote(OLD.owner) || ', ' || quote(OLD.confidence) || ')' FROM history_recording;
END;
CREATE TRIGGER key_result_log_update AFTER UPDATE ON key_result WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE key_result SET ' || 'objective_id = ' || quote(OLD.objective_id) || ', ' || 'position = ' || quote(OLD.position) || ', ' || 'title = ' || quote(OLD.title) || ', ' || 'unit = ' || quote(OLD.unit) || ', ' || 'start_value = ' || quote(OLD.start_value) || ', ' || 'target_value = ' || quote(OLD.target_value) || ', ' || 'current_value = ' || quote(OLD.current_value) || ', ' || 'owner = ' || quote(OLD.owner) || ', ' || 'confidence = ' || quote(OLD.confidence) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- check_in
CREATE TRIGGER check_in_log_insert AFTER INSERT ON check_in WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM check_in WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER check_in_log_delete AFTER DELETE ON check_in WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO check_in (id, key_result_id, date, value, confidence, note) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.key_result_id) || ', ' || quote(OLD.date) || ', ' || quote(OLD.value) || ', ' || quote(OLD.confidence) || ', ' || quote(OLD.note) || ')' FROM history_recording;
END;
CREATE TRIGGER check_in_log_update AFTER UPDATE ON check_in WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE check_in SET ' || 'key_result_id = ' || quote(OLD.key_result_id) || ', ' || 'date = ' || quote(OLD.date) || ', ' || 'value = ' || quote(OLD.value) || ', ' || 'confidence = ' || quote(OLD.confidence) || ', ' || 'note = ' || quote(OLD.note) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- sprint
CREATE TRIGGER sprint_log_insert AFTER INSERT ON sprint WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM sprint WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER sprint_log_delete AFTER DELETE ON sprint WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO sprint (id, quarter_id, number, start_date, end_date, goal, no_kr_reason, capacity, state) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.quarter_id) || ', ' || quote(OLD.number) || ', ' || quote(OLD.start_date) || ', ' || quote(OLD.end_date) || ', ' || quote(OLD.goal) || ', ' || quote(OLD.no_kr_reason) || ', ' || quote(OLD.capacity) || ', ' || quote(OLD.state) || ')' FROM history_recording;
END;
CREATE TRIGGER sprint_log_update AFTER UPDATE ON sprint WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE sprint SET ' || 'quarter_id = ' || quote(OLD.quarter_id) || ', ' || 'number = ' || quote(OLD.number) || ', ' || 'start_date = ' || quote(OLD.start_date) || ', ' || 'end_date = ' || quote(OLD.end_date) || ', ' || 'goal = ' || quote(OLD.goal) || ', ' || 'no_kr_reason = ' || quote(OLD.no_kr_reason) || ', ' || 'capacity = ' || quote(OLD.capacity) || ', ' || 'state = ' || quote(OLD.state) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- sprint_kr
CREATE TRIGGER sprint_kr_log_insert AFTER INSERT ON sprint_kr WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM sprint_kr WHERE ' || 'sprint_id = ' || quote(NEW.sprint_id) || ' AND ' || 'key_result_id = ' || quote(NEW.key_result_id) FROM history_recording;
END;
CREATE TRIGGER sprint_kr_log_delete AFTER DELETE ON sprint_kr WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO sprint_kr (sprint_id, key_result_id, focus) VALUES (' || quote(OLD.sprint_id) || ', ' || quote(OLD.key_result_id) || ', ' || quote(OLD.focus) || ')' FROM history_recording;
END;
CREATE TRIGGER sprint_kr_log_update AFTER UPDATE ON sprint_kr WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE sprint_kr SET ' || 'focus = ' || quote(OLD.focus) || ' WHERE ' || 'sprint_id = ' || quote(OLD.sprint_id) || ' AND ' || 'key_result_id = ' || quote(OLD.key_result_id) FROM history_recording;
END;

-- item
CREATE TRIGGER item_log_insert AFTER INSERT ON item WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM item WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER item_log_delete AFTER DELETE ON item WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO item (id, title, description, kind, points, state, rank, sprint_id, done_on) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.title) || ', ' || quote(OLD.description) || ', ' || quote(OLD.kind) || ', ' || quote(OLD.points) || ', ' || quote(OLD.state) || ', ' || quote(OLD.rank) || ', ' || quote(OLD.sprint_id) || ', ' || quote(OLD.done_on) || ')' FROM history_recording;
END;
CREATE TRIGGER item_log_update AFTER UPDATE ON item WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE item SET ' || 'title = ' || quote(OLD.title) || ', ' || 'description = ' || quote(OLD.description) || ', ' || 'kind = ' || quote(OLD.kind) || ', ' || 'points = ' || quote(OLD.points) || ', ' || 'state = ' || quote(OLD.state) || ', ' || 'rank = ' || quote(OLD.rank) || ', ' || 'sprint_id = ' || quote(OLD.sprint_id) || ', ' || 'done_on = ' || quote(OLD.done_on) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- item_kr
CREATE TRIGGER item_kr_log_insert AFTER INSERT ON item_kr WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM item_kr WHERE ' || 'item_id = ' || quote(NEW.item_id) || ' AND ' || 'key_result_id = ' || quote(NEW.key_result_id) FROM history_recording;
END;
CREATE TRIGGER item_kr_log_delete AFTER DELETE ON item_kr WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO item_kr (item_id, key_result_id) VALUES (' || quote(OLD.item_id) || ', ' || quote(OLD.key_result_id) || ')' FROM history_recording;
END;

-- retro_note
CREATE TRIGGER retro_note_log_insert AFTER INSERT ON retro_note WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM retro_note WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER retro_note_log_delete AFTER DELETE ON retro_note WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO retro_note (id, sprint_id, category, position, text) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.sprint_id) || ', ' || quote(OLD.category) || ', ' || quote(OLD.position) || ', ' || quote(OLD.text) || ')' FROM history_recording;
END;
CREATE TRIGGER retro_note_log_update AFTER UPDATE ON retro_note WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE retro_note SET ' || 'sprint_id = ' || quote(OLD.sprint_id) || ', ' || 'category = ' || quote(OLD.category) || ', ' || 'position = ' || quote(OLD.position) || ', ' || 'text = ' || quote(OLD.text) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;
