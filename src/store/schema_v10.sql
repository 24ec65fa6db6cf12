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

-- Added by the method branch (issue 15): the review and the presentation
-- list the open items that say why they wait; this keeps that an indexed
-- read in rank order at 100,000 items, however few say so.
CREATE INDEX item_deferred ON item (rank) WHERE deferred_reason != '';
