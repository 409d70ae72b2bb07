-- Every table, view and index with the SQL that created it (the text the tokenizer reads for
-- AUTOINCREMENT, constraint names, CHECKs, generated columns and index expressions).
SELECT m.type, m.name, m.tbl_name, m.sql
FROM sqlite_schema AS m
WHERE m.type IN ('table', 'view', 'index')
ORDER BY m.rowid
