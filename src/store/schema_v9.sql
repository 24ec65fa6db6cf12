-- Quarterdeck board, schema version 9: quarters that close and follow one
-- another. Documented in docs/schema.md ("Quarters").
--
-- A quarter is drafted (next quarter's OKRs, no sprints yet), open (the
-- running one) or closed (scored, read-only). A board from before holds
-- one running quarter: its latest; any earlier ones count as closed.
ALTER TABLE quarter ADD COLUMN state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('draft', 'open', 'closed'));
ALTER TABLE quarter ADD COLUMN closed_on TEXT;
-- The quarter retro's note, written when it closes.
ALTER TABLE quarter ADD COLUMN closing_note TEXT NOT NULL DEFAULT '';
UPDATE quarter SET state = 'closed'
WHERE id != (SELECT id FROM quarter ORDER BY start_date DESC, id DESC LIMIT 1);

-- Scores of a closed quarter, 0.0-1.0 in tenths (NULL while it runs).
ALTER TABLE key_result ADD COLUMN score REAL CHECK (score IS NULL OR score BETWEEN 0 AND 1);
ALTER TABLE objective ADD COLUMN closing_note TEXT NOT NULL DEFAULT '';

-- 1 when the item came over from a closed quarter still tagged with its
-- KRs (kept as history): it waits to be tagged with the new quarter's.
-- Editing the item's tags clears it.
ALTER TABLE item ADD COLUMN needs_retag INTEGER NOT NULL DEFAULT 0 CHECK (needs_retag IN (0, 1));
CREATE INDEX item_needing_retag ON item (rank) WHERE needs_retag = 1;
