-- Quarterdeck board, schema version 6: a history shared by windows, and
-- item numbers that are never used twice. Documented in docs/schema.md.
--
-- Two boards (or a board and the command line) may write one file. Each
-- history step says which run made it (`session`: pid@host#start) and for
-- whom (`author`), so undo takes back this window's own steps and asks
-- before undoing another's.
ALTER TABLE history_step ADD COLUMN session TEXT NOT NULL DEFAULT '';
ALTER TABLE history_step ADD COLUMN author  TEXT NOT NULL DEFAULT '';
CREATE INDEX history_step_by_session ON history_step (session, state, id);

-- The highest number each kind of object has had. A new item takes the
-- next number even after the newest item was deleted, so `#42` always
-- means one item, and undoing a delete never meets a new item in its place.
CREATE TABLE number_high_water (
    kind TEXT PRIMARY KEY,
    high INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO number_high_water (kind, high) SELECT 'item', coalesce(max(id), 0) FROM item;
CREATE TRIGGER item_number_high_water AFTER INSERT ON item BEGIN
    UPDATE number_high_water SET high = NEW.id WHERE kind = 'item' AND high < NEW.id;
END;

-- The capture triggers of every table of user data are made again from
-- the schema by the code that runs this migration (store/capture.rs):
-- from now on an update logs only the columns it changed.

-- Rows that another program left outside what the schema means (a title
-- that is not text, points out of range, a fractional rank): the board
-- shows them cleaned and names them (store/clean.rs). This partial index
-- holds only such rows, so looking for them costs nothing on a sound board
-- of 100,000 items. Its condition is the one the scan uses, word for word.
CREATE INDEX item_needs_cleaning ON item (id)
    WHERE typeof(title) != 'text' OR typeof(points) != 'integer' OR points NOT BETWEEN 0 AND 4294967295
       OR typeof(rank) != 'integer';
