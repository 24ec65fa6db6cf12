-- Quarterdeck board, schema version 12: a board shared through a git
-- remote (issue 19, `quarterdeck sync`). Documented in docs/schema.md and
-- docs/sync.md. Neither table is user data: undo never touches them (the
-- capture triggers leave them out), so undoing a sync's import is a new
-- change that the next sync sends, and shared history is never rewritten.

-- The board's tie to a repository; one row, or none for a board never
-- tied. `synced_commit` is the commit whose plan files hold exactly what
-- the board held when it last took part in a sync: it is written in the
-- same transaction as the sync's import, so a sync killed at any step
-- starts the next one from a board and a commit that agree.
CREATE TABLE sync_link (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    remote             TEXT    NOT NULL,          -- as given to `sync init`: a URL or a path
    clone_path         TEXT    NOT NULL,          -- the working clone the plan files are written in
    branch             TEXT    NOT NULL,          -- the remote branch the board follows
    plan_dir           TEXT    NOT NULL DEFAULT '', -- the folder of the clone holding the plan files ('' = top)
    synced_commit      TEXT,                      -- see above; none before the first sync
    pushed_commit      TEXT,                      -- the newest commit the remote accepted from this board
    last_sync_at       TEXT,                      -- UTC 'YYYY-MM-DDTHH:MM:SSZ' of the last completed exchange
    last_fetch_at      TEXT,                      -- UTC, the last time the remote answered
    incoming           INTEGER NOT NULL DEFAULT 0, -- the remote's commits not yet merged, as of the last fetch
    change_count       INTEGER NOT NULL DEFAULT 0, -- bumped by every history step made, undone or redone
    pushed_count       INTEGER NOT NULL DEFAULT 0, -- change_count as of what the last push sent
    numbers_fixed_upto INTEGER NOT NULL DEFAULT 0, -- item numbers up to this are the remote's: fixed
    pending_theirs     TEXT,                      -- the remote commit whose merge waits for choices
    last_error         TEXT                       -- why the last sync stopped (offline, refused), or none
);

-- The fields both sides changed differently in the merge that waits
-- (`sync_link.pending_theirs`), one row a field, in the order the merge
-- found them; `chosen` is filled by the board's chooser or `sync
-- --mine|--theirs`. Values are JSON as `plan::Conflict` holds them.
CREATE TABLE sync_conflict (
    position    INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,          -- item, key_result, sprint, ...
    object_id   TEXT NOT NULL,          -- the object's stable id
    code        TEXT NOT NULL,          -- '#42', 'KR1.2', 'S3' as mine names it
    field       TEXT NOT NULL,          -- 'points'; a group: 'state, done_on'
    kind        TEXT NOT NULL,          -- 'both_changed', 'deleted_by_mine', 'deleted_by_theirs'
    base        TEXT NOT NULL,
    mine        TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    chosen      TEXT CHECK (chosen IN ('mine', 'theirs')),
    UNIQUE (object_id, field)
);

-- Every step the board records, undoes or redoes is a change the remote
-- has not seen yet: the header's "N changes wait" is change_count minus
-- pushed_count. An undo or redo records its reversal as a scratch step
-- (inserted, then folded into the step it replays), so counting inserts
-- counts each record, undo and redo exactly once.
CREATE TRIGGER sync_count_step AFTER INSERT ON history_step BEGIN
    UPDATE sync_link SET change_count = change_count + 1;
END;
