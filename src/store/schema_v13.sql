-- Schema v13: undo finds rows by their stable ids.
--
-- No table changes. The capture triggers behind undo (src/store/capture.rs,
-- made again at the end of every migration) now log statements that find a
-- row with a stable id by its uid, and write a reference to such a row as
-- that row found by its uid: a sync that gives an item's number to another
-- item (both laptops added one) no longer makes an older undo step change
-- the item that took the number. Steps logged before v13 keep their
-- statements as they were.
SELECT 1;
