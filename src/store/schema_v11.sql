-- Quarterdeck board, schema version 11: items imported from another tool
-- (issue 17, `quarterdeck import --from jira-csv|linear-csv|taskwarrior`).
-- Documented in docs/schema.md.

-- An imported item's key in the tool it came from ('PROJ-123', a Linear
-- id, a Taskwarrior uuid): importing the same file again finds the item by
-- (source, key) and updates it instead of adding a second one. One row an
-- imported item; items made on the board have none. `fingerprint` is a
-- hash of the item's fields (title, description, points, state, kind,
-- sprint, KR tags) as the last import wrote them: an item whose fields
-- hash differently now was edited on the board since, and a later import
-- keeps the board's values unless told `--overwrite`.
CREATE TABLE item_external (
    item_id     INTEGER PRIMARY KEY REFERENCES item (id) ON DELETE CASCADE,
    source      TEXT    NOT NULL CHECK (source IN ('jira-csv', 'linear-csv', 'taskwarrior')),
    key         TEXT    NOT NULL CHECK (key != ''),
    fingerprint TEXT    NOT NULL
);
CREATE UNIQUE INDEX item_external_by_key ON item_external (source, key);
