-- Quarterdeck board, schema version 7: sprints that start and close.
-- Documented in docs/schema.md ("Sprint records").
--
-- Starting a sprint records its commitment: the items planned into it at
-- that moment, with copies of their titles and points. Closing it freezes
-- its record: every item it committed to or took on later, with what
-- became of it (done, carried over, removed), so the review of a closed
-- sprint reads the same whatever later happens to its items. Both tables
-- are user data: the history logs them, so undo can reopen a sprint.
-- Redo takes back the step undone last: the order steps were undone in.
ALTER TABLE history_step ADD COLUMN undone_order INTEGER;
UPDATE history_step SET undone_order = id WHERE state = 'undone';

ALTER TABLE sprint ADD COLUMN started_on TEXT;
ALTER TABLE sprint ADD COLUMN closed_on TEXT;
-- The team's verdict on the sprint goal at its review.
ALTER TABLE sprint ADD COLUMN goal_verdict TEXT NOT NULL DEFAULT ''
    CHECK (goal_verdict IN ('', 'met', 'partly', 'not_met'));

CREATE TABLE sprint_commitment (
    sprint_id INTEGER NOT NULL REFERENCES sprint (id) ON DELETE CASCADE,
    -- No foreign key: the commitment outlives a deleted item.
    item_id   INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    title     TEXT    NOT NULL,
    points    INTEGER NOT NULL,
    PRIMARY KEY (sprint_id, item_id)
) WITHOUT ROWID;

CREATE TABLE sprint_record_item (
    sprint_id   INTEGER NOT NULL REFERENCES sprint (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    points      INTEGER NOT NULL,
    -- In the commitment (1), or taken on after the start (0).
    committed   INTEGER NOT NULL CHECK (committed IN (0, 1)),
    outcome     TEXT    NOT NULL CHECK (outcome IN ('done', 'carried', 'removed')),
    -- The KR ids it was tagged with, comma-separated.
    key_results TEXT    NOT NULL DEFAULT '',
    -- Where a carried item went: 'S4', 'top' or 'bottom' of the backlog.
    carried_to  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (sprint_id, item_id)
) WITHOUT ROWID;

-- Boards from before: a running or finished sprint committed to what it
-- holds now (the best there is to know), and a finished one is recorded.
UPDATE sprint SET started_on = start_date WHERE state IN ('active', 'closed');
UPDATE sprint SET closed_on = end_date WHERE state = 'closed';
INSERT INTO sprint_commitment (sprint_id, item_id, position, title, points)
SELECT i.sprint_id, i.id, row_number() OVER (PARTITION BY i.sprint_id ORDER BY i.rank, i.id), CAST(i.title AS TEXT),
       max(CAST(i.points AS INTEGER), 0)
FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE s.state IN ('active', 'closed');
INSERT INTO sprint_record_item (sprint_id, item_id, position, title, points, committed, outcome, key_results)
SELECT i.sprint_id, i.id, row_number() OVER (PARTITION BY i.sprint_id ORDER BY i.rank, i.id), CAST(i.title AS TEXT),
       max(CAST(i.points AS INTEGER), 0), 1, CASE WHEN i.state = 'done' THEN 'done' ELSE 'carried' END,
       coalesce((SELECT group_concat(key_result_id) FROM item_kr WHERE item_id = i.id), '')
FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE s.state = 'closed';
