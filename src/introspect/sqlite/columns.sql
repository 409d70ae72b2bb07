-- Columns of every table and view, hidden ones included (2 = VIRTUAL, 3 = STORED generated).
SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
FROM sqlite_schema AS m
JOIN pragma_table_xinfo(m.name) AS c
WHERE m.type IN ('table', 'view')
ORDER BY m.name, c.cid
