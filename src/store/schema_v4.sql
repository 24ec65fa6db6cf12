-- Quarterdeck board, schema version 4: sprint planning opens at once at
-- 100,000 items. Documented in docs/schema.md ("Planning relevance").
--
-- 1. sprint_relevance keeps, for each sprint and each item tagged with a KR
--    the sprint serves, how strongly the item serves the sprint (each served
--    KR counts 1, the focus KR 2) and a copy of the item's rank. Planning's
--    candidates are then read in order (relevance, then rank) straight from
--    an index instead of scoring and sorting every open item.
-- 2. backlog_tally scope -1 counts the open items in no sprint: all of
--    planning's candidates.
-- Both are derived data: triggers keep them right for every writer, undo's
-- replays included, and the history never logs them.

CREATE TABLE sprint_relevance (
    item_id   INTEGER NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    sprint_id INTEGER NOT NULL REFERENCES sprint (id) ON DELETE CASCADE,
    relevance INTEGER NOT NULL,
    rank      INTEGER NOT NULL,
    PRIMARY KEY (item_id, sprint_id)
) WITHOUT ROWID;
CREATE INDEX sprint_relevance_order ON sprint_relevance (sprint_id, relevance DESC, rank, item_id);

INSERT INTO sprint_relevance (item_id, sprint_id, relevance, rank)
    SELECT t.item_id, sk.sprint_id, sum(CASE WHEN sk.focus THEN 2 ELSE 1 END), i.rank
    FROM sprint_kr sk JOIN item_kr t ON t.key_result_id = sk.key_result_id JOIN item i ON i.id = t.item_id
    GROUP BY t.item_id, sk.sprint_id;

-- A tag adds its weight for every sprint that serves its KR.
CREATE TRIGGER relevance_tag_insert AFTER INSERT ON item_kr BEGIN
    INSERT INTO sprint_relevance (item_id, sprint_id, relevance, rank)
        SELECT NEW.item_id, sk.sprint_id, CASE WHEN sk.focus THEN 2 ELSE 1 END, (SELECT rank FROM item WHERE id = NEW.item_id)
        FROM sprint_kr sk WHERE sk.key_result_id = NEW.key_result_id
        ON CONFLICT (item_id, sprint_id) DO UPDATE SET relevance = relevance + excluded.relevance;
END;
CREATE TRIGGER relevance_tag_delete AFTER DELETE ON item_kr BEGIN
    UPDATE sprint_relevance
        SET relevance = relevance - (SELECT CASE WHEN sk.focus THEN 2 ELSE 1 END FROM sprint_kr sk
                                     WHERE sk.sprint_id = sprint_relevance.sprint_id AND sk.key_result_id = OLD.key_result_id)
        WHERE item_id = OLD.item_id AND sprint_id IN (SELECT sprint_id FROM sprint_kr WHERE key_result_id = OLD.key_result_id);
    DELETE FROM sprint_relevance WHERE item_id = OLD.item_id AND relevance <= 0;
END;
CREATE TRIGGER relevance_tag_update AFTER UPDATE OF item_id, key_result_id ON item_kr
WHEN NEW.item_id IS NOT OLD.item_id OR NEW.key_result_id IS NOT OLD.key_result_id BEGIN
    UPDATE sprint_relevance
        SET relevance = relevance - (SELECT CASE WHEN sk.focus THEN 2 ELSE 1 END FROM sprint_kr sk
                                     WHERE sk.sprint_id = sprint_relevance.sprint_id AND sk.key_result_id = OLD.key_result_id)
        WHERE item_id = OLD.item_id AND sprint_id IN (SELECT sprint_id FROM sprint_kr WHERE key_result_id = OLD.key_result_id);
    DELETE FROM sprint_relevance WHERE item_id = OLD.item_id AND relevance <= 0;
    INSERT INTO sprint_relevance (item_id, sprint_id, relevance, rank)
        SELECT NEW.item_id, sk.sprint_id, CASE WHEN sk.focus THEN 2 ELSE 1 END, (SELECT rank FROM item WHERE id = NEW.item_id)
        FROM sprint_kr sk WHERE sk.key_result_id = NEW.key_result_id
        ON CONFLICT (item_id, sprint_id) DO UPDATE SET relevance = relevance + excluded.relevance;
END;

-- A sprint that starts (or stops) serving a KR adds (or takes) its weight
-- for every item tagged with it.
CREATE TRIGGER relevance_sprint_kr_insert AFTER INSERT ON sprint_kr BEGIN
    INSERT INTO sprint_relevance (item_id, sprint_id, relevance, rank)
        SELECT t.item_id, NEW.sprint_id, CASE WHEN NEW.focus THEN 2 ELSE 1 END, t.rank
        FROM item_kr t WHERE t.key_result_id = NEW.key_result_id
        ON CONFLICT (item_id, sprint_id) DO UPDATE SET relevance = relevance + excluded.relevance;
END;
CREATE TRIGGER relevance_sprint_kr_delete AFTER DELETE ON sprint_kr BEGIN
    UPDATE sprint_relevance SET relevance = relevance - CASE WHEN OLD.focus THEN 2 ELSE 1 END
        WHERE sprint_id = OLD.sprint_id AND item_id IN (SELECT item_id FROM item_kr WHERE key_result_id = OLD.key_result_id);
    DELETE FROM sprint_relevance WHERE sprint_id = OLD.sprint_id AND relevance <= 0;
END;
CREATE TRIGGER relevance_sprint_kr_update AFTER UPDATE ON sprint_kr
WHEN NEW.sprint_id IS NOT OLD.sprint_id OR NEW.key_result_id IS NOT OLD.key_result_id OR NEW.focus IS NOT OLD.focus BEGIN
    UPDATE sprint_relevance SET relevance = relevance - CASE WHEN OLD.focus THEN 2 ELSE 1 END
        WHERE sprint_id = OLD.sprint_id AND item_id IN (SELECT item_id FROM item_kr WHERE key_result_id = OLD.key_result_id);
    DELETE FROM sprint_relevance WHERE sprint_id = OLD.sprint_id AND relevance <= 0;
    INSERT INTO sprint_relevance (item_id, sprint_id, relevance, rank)
        SELECT t.item_id, NEW.sprint_id, CASE WHEN NEW.focus THEN 2 ELSE 1 END, t.rank
        FROM item_kr t WHERE t.key_result_id = NEW.key_result_id
        ON CONFLICT (item_id, sprint_id) DO UPDATE SET relevance = relevance + excluded.relevance;
END;

CREATE TRIGGER relevance_copy_rank AFTER UPDATE OF rank ON item WHEN NEW.rank IS NOT OLD.rank BEGIN
    UPDATE sprint_relevance SET rank = NEW.rank WHERE item_id = NEW.id;
END;

-- Scope -1 of the tally: open items in no sprint.
INSERT INTO backlog_tally (scope, items, points)
    SELECT -1, count(*), coalesce(sum(points), 0) FROM item WHERE sprint_id IS NULL AND state != 'done';

CREATE TRIGGER candidate_tally_insert AFTER INSERT ON item WHEN NEW.sprint_id IS NULL AND NEW.state != 'done' BEGIN
    UPDATE backlog_tally SET items = items + 1, points = points + NEW.points WHERE scope = -1;
END;
CREATE TRIGGER candidate_tally_delete AFTER DELETE ON item WHEN OLD.sprint_id IS NULL AND OLD.state != 'done' BEGIN
    UPDATE backlog_tally SET items = items - 1, points = points - OLD.points WHERE scope = -1;
END;
CREATE TRIGGER candidate_tally_update AFTER UPDATE OF sprint_id, state, points ON item BEGIN
    UPDATE backlog_tally
        SET items = items - (OLD.sprint_id IS NULL AND OLD.state != 'done') + (NEW.sprint_id IS NULL AND NEW.state != 'done'),
            points = points - CASE WHEN OLD.sprint_id IS NULL AND OLD.state != 'done' THEN OLD.points ELSE 0 END
                            + CASE WHEN NEW.sprint_id IS NULL AND NEW.state != 'done' THEN NEW.points ELSE 0 END
        WHERE scope = -1;
END;
