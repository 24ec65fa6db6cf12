-- Quarterdeck board, schema version 5: the team behind a sprint's capacity.
-- Documented in docs/schema.md ("Team and capacity").
--
-- A quarter's team members each have a focus factor (the share of a working
-- day that goes to sprint work) and, per sprint, the days they are away.
-- The board turns them into focused person-days per sprint and, with the
-- velocity of finished sprints, into a suggested capacity (domain/capacity.rs).
-- Both tables are user data: the history logs every change to them.

CREATE TABLE team_member (
    id           INTEGER PRIMARY KEY,
    quarter_id   INTEGER NOT NULL REFERENCES quarter (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL CHECK (length(name) > 0),
    -- Per cent of a working day spent on sprint work.
    focus_factor INTEGER NOT NULL DEFAULT 70 CHECK (focus_factor BETWEEN 0 AND 100)
);
CREATE INDEX team_member_by_quarter ON team_member (quarter_id, id);

-- Days a member is away in a sprint (holidays, leave, training); half days
-- allowed. No row means none.
CREATE TABLE days_off (
    member_id INTEGER NOT NULL REFERENCES team_member (id) ON DELETE CASCADE,
    sprint_id INTEGER NOT NULL REFERENCES sprint (id) ON DELETE CASCADE,
    days      REAL    NOT NULL CHECK (days > 0),
    PRIMARY KEY (member_id, sprint_id)
) WITHOUT ROWID;
CREATE INDEX days_off_by_sprint ON days_off (sprint_id);

-- team_member
CREATE TRIGGER team_member_log_insert AFTER INSERT ON team_member WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM team_member WHERE ' || 'id = ' || quote(NEW.id) FROM history_recording;
END;
CREATE TRIGGER team_member_log_delete AFTER DELETE ON team_member WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO team_member (id, quarter_id, name, focus_factor) VALUES (' || quote(OLD.id) || ', ' || quote(OLD.quarter_id) || ', ' || quote(OLD.name) || ', ' || quote(OLD.focus_factor) || ')' FROM history_recording;
END;
CREATE TRIGGER team_member_log_update AFTER UPDATE ON team_member WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE team_member SET ' || 'quarter_id = ' || quote(OLD.quarter_id) || ', ' || 'name = ' || quote(OLD.name) || ', ' || 'focus_factor = ' || quote(OLD.focus_factor) || ' WHERE ' || 'id = ' || quote(OLD.id) FROM history_recording;
END;

-- days_off
CREATE TRIGGER days_off_log_insert AFTER INSERT ON days_off WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM days_off WHERE ' || 'member_id = ' || quote(NEW.member_id) || ' AND ' || 'sprint_id = ' || quote(NEW.sprint_id) FROM history_recording;
END;
CREATE TRIGGER days_off_log_delete AFTER DELETE ON days_off WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'INSERT INTO days_off (member_id, sprint_id, days) VALUES (' || quote(OLD.member_id) || ', ' || quote(OLD.sprint_id) || ', ' || quote(OLD.days) || ')' FROM history_recording;
END;
CREATE TRIGGER days_off_log_update AFTER UPDATE ON days_off WHEN (SELECT step FROM history_recording) IS NOT NULL BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'UPDATE days_off SET ' || 'days = ' || quote(OLD.days) || ' WHERE ' || 'member_id = ' || quote(OLD.member_id) || ' AND ' || 'sprint_id = ' || quote(OLD.sprint_id) FROM history_recording;
END;
