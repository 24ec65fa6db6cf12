-- Quarterdeck board, schema version 8: the quarter's health.
-- Documented in docs/schema.md ("Indexes").
--
-- M10 flags a backlog item whose title copies a KR's. The health check
-- looks each KR's title up in this index (case folded, as NOCASE folds
-- ASCII), so its cost follows the number of KRs, not of items.
CREATE INDEX item_by_title_nocase ON item (title COLLATE NOCASE);
