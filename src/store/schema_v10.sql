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
