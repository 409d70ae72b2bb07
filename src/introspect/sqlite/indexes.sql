-- Indexes of every table: origin `c` (CREATE INDEX), `u` (UNIQUE constraint), `pk`.
SELECT m.name, il.seq, il.name, il."unique", il.origin, il.partial
FROM sqlite_schema AS m
JOIN pragma_index_list(m.name) AS il
WHERE m.type = 'table'
ORDER BY m.name, il.name
