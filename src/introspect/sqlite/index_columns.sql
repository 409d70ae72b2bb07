-- Key columns of every index: cid -2 is an expression, -1 the rowid.
SELECT il.name, ix.seqno, ix.cid, ix.name, ix."desc", ix.coll
FROM sqlite_schema AS m
JOIN pragma_index_list(m.name) AS il
JOIN pragma_index_xinfo(il.name) AS ix
WHERE m.type = 'table' AND ix.key = 1
ORDER BY il.name, ix.seqno
