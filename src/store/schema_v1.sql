-- Quarterdeck board, schema version 1. Documented in docs/schema.md.
-- Dates are ISO 8601 text (YYYY-MM-DD); confidence is 0-100.

CREATE TABLE quarter (
    id           INTEGER PRIMARY KEY,
    label        TEXT    NOT NULL CHECK (length(label) > 0),
    start_date   TEXT    NOT NULL,
    -- 1 when a planning day separates this quarter from the next.
    planning_day INTEGER NOT NULL DEFAULT 0 CHECK (planning_day IN (0, 1))
);

CREATE TABLE objective (
    id          INTEGER PRIMARY KEY,
    quarter_id  INTEGER NOT NULL REFERENCES quarter (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position > 0),
    title       TEXT    NOT NULL,
    owner       TEXT    NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES objective (id) ON DELETE SET NULL,
    parent_note TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX objective_by_quarter ON objective (quarter_id, position);

CREATE TABLE key_result (
    id            INTEGER PRIMARY KEY,
    objective_id  INTEGER NOT NULL REFERENCES objective (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position > 0),
    title         TEXT    NOT NULL,
    unit          TEXT    NOT NULL DEFAULT '',
    start_value   REAL    NOT NULL,
    target_value  REAL    NOT NULL,
    current_value REAL    NOT NULL,
    owner         TEXT    NOT NULL DEFAULT '',
    confidence    INTEGER NOT NULL DEFAULT 50 CHECK (confidence BETWEEN 0 AND 100)
);
CREATE INDEX key_result_by_objective ON key_result (objective_id, position);

CREATE TABLE check_in (
    id            INTEGER PRIMARY KEY,
    key_result_id INTEGER NOT NULL REFERENCES key_result (id) ON DELETE CASCADE,
    date          TEXT    NOT NULL,
    value         REAL    NOT NULL,
    confidence    INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX check_in_by_key_result ON check_in (key_result_id, date);

CREATE TABLE sprint (
    id           INTEGER PRIMARY KEY,
    quarter_id   INTEGER NOT NULL REFERENCES quarter (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL CHECK (number > 0),
    start_date   TEXT    NOT NULL,
    end_date     TEXT    NOT NULL CHECK (end_date >= start_date),
    goal         TEXT    NOT NULL DEFAULT '',
    no_kr_reason TEXT    NOT NULL DEFAULT '',
    capacity     INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    state        TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'active', 'closed')),
    UNIQUE (quarter_id, number)
);

-- The KRs a sprint goal serves; `focus` marks the cascade's focus KR.
CREATE TABLE sprint_kr (
    sprint_id     INTEGER NOT NULL REFERENCES sprint (id) ON DELETE CASCADE,
    key_result_id INTEGER NOT NULL REFERENCES key_result (id) ON DELETE CASCADE,
    focus         INTEGER NOT NULL DEFAULT 0 CHECK (focus IN (0, 1)),
    PRIMARY KEY (sprint_id, key_result_id)
) WITHOUT ROWID;
CREATE INDEX sprint_kr_by_key_result ON sprint_kr (key_result_id);

CREATE TABLE item (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL DEFAULT 'story' CHECK (kind IN ('story', 'bug', 'chore', 'spike')),
    points      INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    state       TEXT    NOT NULL DEFAULT 'todo' CHECK (state IN ('todo', 'doing', 'done')),
    -- Backlog order, smallest first. Gaps are left between ranks so that a
    -- move rewrites one or two rows, never the whole backlog.
    rank        INTEGER NOT NULL,
    sprint_id   INTEGER REFERENCES sprint (id) ON DELETE SET NULL,
    done_on     TEXT
);
CREATE INDEX item_by_rank ON item (rank);
CREATE INDEX item_by_sprint ON item (sprint_id) WHERE sprint_id IS NOT NULL;

-- KR tags; an item with none is business as usual (BAU).
CREATE TABLE item_kr (
    item_id       INTEGER NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    key_result_id INTEGER NOT NULL REFERENCES key_result (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, key_result_id)
) WITHOUT ROWID;
CREATE INDEX item_kr_by_key_result ON item_kr (key_result_id, item_id);

CREATE TABLE retro_note (
    id        INTEGER PRIMARY KEY,
    sprint_id INTEGER NOT NULL REFERENCES sprint (id) ON DELETE CASCADE,
    category  TEXT    NOT NULL CHECK (category IN ('went_well', 'to_improve', 'okr_reflection')),
    position  INTEGER NOT NULL,
    text      TEXT    NOT NULL
);
CREATE INDEX retro_note_by_sprint ON retro_note (sprint_id, category, position);

-- What the screen looked like when the board was left: focused pane,
-- selected rows, filter. Keys are documented in docs/schema.md.
CREATE TABLE ui_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
