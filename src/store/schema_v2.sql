-- Quarterdeck board, schema version 2: the backlog stays instant at 100,000
-- items. Documented in docs/schema.md.
--
-- 1. Each KR tag carries a copy of its item's rank and points, so a KR's
--    items are read in rank order straight from an index, and summed
--    without touching the item table.
-- 2. backlog_tally keeps the count and points of the whole backlog
--    (scope 0) and of each KR's items (scope = the KR's id).
-- Triggers keep both right for every writer, sqlite3 included.

ALTER TABLE item_kr ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE item_kr ADD COLUMN points INTEGER NOT NULL DEFAULT 0;
UPDATE item_kr SET rank = (SELECT rank FROM item WHERE id = item_id),
                   points = (SELECT points FROM item WHERE id = item_id);
DROP INDEX item_kr_by_key_result;
CREATE INDEX item_kr_by_key_result ON item_kr (key_result_id, rank, item_id, points);

CREATE TABLE backlog_tally (
    scope  INTEGER PRIMARY KEY,  -- 0: the whole backlog; else a key_result id
    items  INTEGER NOT NULL,
    points INTEGER NOT NULL
);
INSERT INTO backlog_tally (scope, items, points) SELECT 0, count(*), coalesce(sum(points), 0) FROM item;
INSERT INTO backlog_tally (scope, items, points)
    SELECT key_result_id, count(*), sum(points) FROM item_kr GROUP BY key_result_id;

CREATE TRIGGER item_tally_insert AFTER INSERT ON item BEGIN
    INSERT INTO backlog_tally (scope, items, points) VALUES (0, 1, NEW.points)
        ON CONFLICT (scope) DO UPDATE SET items = items + 1, points = points + excluded.points;
END;

CREATE TRIGGER item_tally_delete AFTER DELETE ON item BEGIN
    UPDATE backlog_tally SET items = items - 1, points = points - OLD.points WHERE scope = 0;
END;

CREATE TRIGGER item_tally_points AFTER UPDATE OF points ON item BEGIN
    UPDATE backlog_tally SET points = points + NEW.points - OLD.points WHERE scope = 0;
END;

-- A tag follows its item's rank and points; each copy is its own trigger so
-- that a re-rank does not touch the points tally (tag_update).
CREATE TRIGGER item_copy_rank_to_tags AFTER UPDATE OF rank ON item WHEN NEW.rank IS NOT OLD.rank BEGIN
    UPDATE item_kr SET rank = NEW.rank WHERE item_id = NEW.id;
END;

CREATE TRIGGER item_copy_points_to_tags AFTER UPDATE OF points ON item WHEN NEW.points IS NOT OLD.points BEGIN
    UPDATE item_kr SET points = NEW.points WHERE item_id = NEW.id;
END;

CREATE TRIGGER tag_insert AFTER INSERT ON item_kr BEGIN
    INSERT INTO backlog_tally (scope, items, points) VALUES (NEW.key_result_id, 1, NEW.points)
        ON CONFLICT (scope) DO UPDATE SET items = items + 1, points = points + excluded.points;
END;

-- A new tag takes its item's rank and points when its writer did not give
-- the right ones (the update is counted by tag_update). Quarterdeck gives
-- them, so its bulk loads pay one primary-key lookup a tag, not an update.
CREATE TRIGGER tag_insert_copy AFTER INSERT ON item_kr
WHEN NOT EXISTS (SELECT 1 FROM item WHERE id = NEW.item_id AND rank = NEW.rank AND points = NEW.points)
BEGIN
    UPDATE item_kr SET rank = (SELECT rank FROM item WHERE id = NEW.item_id),
                       points = (SELECT points FROM item WHERE id = NEW.item_id)
        WHERE item_id = NEW.item_id AND key_result_id = NEW.key_result_id;
END;

CREATE TRIGGER tag_update AFTER UPDATE OF points, key_result_id ON item_kr BEGIN
    UPDATE backlog_tally SET items = items - 1, points = points - OLD.points WHERE scope = OLD.key_result_id;
    INSERT INTO backlog_tally (scope, items, points) VALUES (NEW.key_result_id, 1, NEW.points)
        ON CONFLICT (scope) DO UPDATE SET items = items + 1, points = points + excluded.points;
END;

CREATE TRIGGER tag_delete AFTER DELETE ON item_kr BEGIN
    UPDATE backlog_tally SET items = items - 1, points = points - OLD.points WHERE scope = OLD.key_result_id;
END;

CREATE TRIGGER key_result_tally_delete AFTER DELETE ON key_result BEGIN
    DELETE FROM backlog_tally WHERE scope = OLD.id;
END;
