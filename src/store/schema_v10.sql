-- Quarterdeck board, schema version 10: the method as the seeds teach it
-- (issue 15). Documented in docs/schema.md.

-- How often the team checks its KRs in (M8's staleness, the calendar's
-- check-ins), a setting of the quarter, independent of its sprints' length.
ALTER TABLE quarter ADD COLUMN checkin_cadence TEXT NOT NULL DEFAULT 'two_weeks'
    CHECK (checkin_cadence IN ('two_weeks', 'monthly'));
-- How the team overlaps this quarter with the next (M6, the calendar): a
-- reserve in the last sprint, a planning day between quarters, or written
-- drafts ahead. It takes over from `planning_day`, which stays for readers.
ALTER TABLE quarter ADD COLUMN overlap_strategy TEXT NOT NULL DEFAULT 'reserve'
    CHECK (overlap_strategy IN ('reserve', 'planning_day', 'drafts'));
UPDATE quarter SET overlap_strategy = 'planning_day' WHERE planning_day = 1;

-- Two quarters never share a label. A board from before may hold a draft
-- labelled like the running quarter: the later one is renamed, keeping
-- its label as a prefix so nobody wonders where it went.
UPDATE quarter SET label = label || ' (' || id || ')'
WHERE EXISTS (SELECT 1 FROM quarter q WHERE q.label = quarter.label AND q.id < quarter.id);
CREATE UNIQUE INDEX quarter_label ON quarter (label);

-- The goal a sprint had when it started (M2): a goal changed afterwards
-- keeps this one, and the review shows both. NULL until it starts.
ALTER TABLE sprint ADD COLUMN goal_at_start TEXT;
UPDATE sprint SET goal_at_start = goal WHERE state IN ('active', 'closed');

-- Why a BAU item waits ("deferred because"), for the review, the
-- presentation and reports.
ALTER TABLE item ADD COLUMN deferred_reason TEXT NOT NULL DEFAULT '';

-- Who holds the method's roles (any member may hold several).
ALTER TABLE team_member ADD COLUMN product_owner INTEGER NOT NULL DEFAULT 0 CHECK (product_owner IN (0, 1));
ALTER TABLE team_member ADD COLUMN scrum_master INTEGER NOT NULL DEFAULT 0 CHECK (scrum_master IN (0, 1));
ALTER TABLE team_member ADD COLUMN okr_champion INTEGER NOT NULL DEFAULT 0 CHECK (okr_champion IN (0, 1));

-- Added for issue 15's "one u undid the opening of a quarter without
-- asking": a step that asks before it is undone or redone says what it
-- did ('closing 2026-Q4', 'opening 2027-Q1'); '' for every other step.
ALTER TABLE history_step ADD COLUMN ask TEXT NOT NULL DEFAULT '';

-- Added for issue 15's "done work crowds the next quarter's backlog": an
-- item done in an earlier quarter stays in that quarter. Opening the next
-- quarter files the closed quarter's done items away (undo takes it back);
-- the backlog lists the rest straight from a partial rank index, and
-- backlog_tally scope -2 counts what was filed, so the backlog's count is
-- scope 0 less scope -2: two rows read, whatever the backlog's size.
ALTER TABLE item ADD COLUMN done_in_earlier_quarter INTEGER NOT NULL DEFAULT 0
    CHECK (done_in_earlier_quarter IN (0, 1));
UPDATE item SET done_in_earlier_quarter = 1
WHERE state = 'done' AND sprint_id IN
    (SELECT s.id FROM sprint s JOIN quarter q ON q.id = s.quarter_id
     WHERE q.state = 'closed' AND EXISTS (SELECT 1 FROM quarter later WHERE later.state = 'open'));
CREATE INDEX item_current_by_rank ON item (rank) WHERE done_in_earlier_quarter = 0;
INSERT INTO backlog_tally (scope, items, points)
    SELECT -2, count(*), coalesce(sum(points), 0) FROM item WHERE done_in_earlier_quarter = 1;

CREATE TRIGGER item_filed_tally_insert AFTER INSERT ON item WHEN NEW.done_in_earlier_quarter = 1 BEGIN
    UPDATE backlog_tally SET items = items + 1, points = points + NEW.points WHERE scope = -2;
END;
CREATE TRIGGER item_filed_tally_delete AFTER DELETE ON item WHEN OLD.done_in_earlier_quarter = 1 BEGIN
    UPDATE backlog_tally SET items = items - 1, points = points - OLD.points WHERE scope = -2;
END;
CREATE TRIGGER item_filed_tally_update AFTER UPDATE OF points, done_in_earlier_quarter ON item
WHEN OLD.done_in_earlier_quarter = 1 OR NEW.done_in_earlier_quarter = 1 BEGIN
    UPDATE backlog_tally
    SET items = items + NEW.done_in_earlier_quarter - OLD.done_in_earlier_quarter,
        points = points + NEW.points * NEW.done_in_earlier_quarter - OLD.points * OLD.done_in_earlier_quarter
    WHERE scope = -2;
END;
-- Done no more, or moved to another sprint: back in the backlog.
CREATE TRIGGER item_unfiled AFTER UPDATE OF state, sprint_id ON item
WHEN NEW.done_in_earlier_quarter = 1 AND (NEW.state != 'done' OR NEW.sprint_id IS NOT OLD.sprint_id) BEGIN
    UPDATE item SET done_in_earlier_quarter = 0 WHERE id = NEW.id;
END;
-- Added by the method branch (issue 15): the review and the presentation
-- list the open items that say why they wait; this keeps that an indexed
-- read in rank order at 100,000 items, however few say so.
CREATE INDEX item_deferred ON item (rank) WHERE deferred_reason != '';

-- Added for issue 16 (references and stable ids): every object the user
-- makes gets a stable unique id, `uid`, a UUIDv7 in its text form
-- (xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx). Codes such as `KR1.2` change when
-- objects are renumbered and `#42` is only unique on one board; the uid
-- never changes, so a plan file and a later sync between laptops can match
-- objects. SQLite has no uuid function and ALTER TABLE cannot add a
-- column with a non-constant default, so the id is made here in SQL: the
-- first 48 bits are the Unix time in milliseconds (when the id was made),
-- then the version 7, 12 random bits, the variant (8, 9, a or b), 14 and
-- 48 random bits. Existing rows get one now (all with this migration's
-- time); a row inserted without one (by the board, `sqlite3` or any other
-- tool) gets one from the `_uid` trigger as it is inserted; a row
-- inserted with one (the plan file's `id`, undo putting a deleted row
-- back with all its columns) keeps it. The `_uid_kept` trigger refuses to
-- change or clear a uid once it is set, and a unique index refuses a
-- second row with the same one. The capture triggers do not log a uid
-- being filled in (store/capture.rs): it is part of the insert.

ALTER TABLE quarter ADD COLUMN uid TEXT;
UPDATE quarter SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX quarter_by_uid ON quarter (uid);
CREATE TRIGGER quarter_uid AFTER INSERT ON quarter WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE quarter SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER quarter_uid_kept BEFORE UPDATE OF uid ON quarter WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'quarter.uid never changes');
END;

ALTER TABLE objective ADD COLUMN uid TEXT;
UPDATE objective SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX objective_by_uid ON objective (uid);
CREATE TRIGGER objective_uid AFTER INSERT ON objective WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE objective SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER objective_uid_kept BEFORE UPDATE OF uid ON objective WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'objective.uid never changes');
END;

ALTER TABLE key_result ADD COLUMN uid TEXT;
UPDATE key_result SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX key_result_by_uid ON key_result (uid);
CREATE TRIGGER key_result_uid AFTER INSERT ON key_result WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE key_result SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER key_result_uid_kept BEFORE UPDATE OF uid ON key_result WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'key_result.uid never changes');
END;

ALTER TABLE check_in ADD COLUMN uid TEXT;
UPDATE check_in SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX check_in_by_uid ON check_in (uid);
CREATE TRIGGER check_in_uid AFTER INSERT ON check_in WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE check_in SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER check_in_uid_kept BEFORE UPDATE OF uid ON check_in WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'check_in.uid never changes');
END;

ALTER TABLE sprint ADD COLUMN uid TEXT;
UPDATE sprint SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX sprint_by_uid ON sprint (uid);
CREATE TRIGGER sprint_uid AFTER INSERT ON sprint WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE sprint SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER sprint_uid_kept BEFORE UPDATE OF uid ON sprint WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'sprint.uid never changes');
END;

ALTER TABLE item ADD COLUMN uid TEXT;
UPDATE item SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX item_by_uid ON item (uid);
CREATE TRIGGER item_uid AFTER INSERT ON item WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE item SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER item_uid_kept BEFORE UPDATE OF uid ON item WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'item.uid never changes');
END;

ALTER TABLE retro_note ADD COLUMN uid TEXT;
UPDATE retro_note SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX retro_note_by_uid ON retro_note (uid);
CREATE TRIGGER retro_note_uid AFTER INSERT ON retro_note WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE retro_note SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER retro_note_uid_kept BEFORE UPDATE OF uid ON retro_note WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'retro_note.uid never changes');
END;

ALTER TABLE team_member ADD COLUMN uid TEXT;
UPDATE team_member SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655);
CREATE UNIQUE INDEX team_member_by_uid ON team_member (uid);
CREATE TRIGGER team_member_uid AFTER INSERT ON team_member WHEN NEW.uid IS NULL OR NEW.uid = '' BEGIN
    UPDATE team_member SET uid = printf('%08x-%04x-7%03x-%x%03x-%012x',
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)
    WHERE id = NEW.id;
END;
CREATE TRIGGER team_member_uid_kept BEFORE UPDATE OF uid ON team_member WHEN OLD.uid != '' AND NEW.uid IS NOT OLD.uid BEGIN
    SELECT RAISE(ABORT, 'team_member.uid never changes');
END;
