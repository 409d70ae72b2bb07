-- Indexes of the selected schemas' tables, except those that back a PRIMARY KEY, UNIQUE or
-- EXCLUDE constraint. Per key column: the column name or the expression, the indoption bits
-- (1 = DESC, 2 = NULLS FIRST) and the operator class when it is not the default for the column's
-- type (NULL otherwise). INCLUDE columns follow the key columns in `columns`. $1: schema names.
SELECT i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       i.indnkeyatts::int4 AS key_count,
       ARRAY(
           SELECT CASE WHEN k.attnum = 0
                       THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int4, false)
                       ELSE a.attname::text END
           FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
           LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           ORDER BY k.ord
       ) AS columns,
       ARRAY(
           SELECT k.attnum = 0 FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) ORDER BY k.ord
       ) AS is_expression,
       ARRAY(
           SELECT o.opt::int4 FROM unnest(i.indoption::int2[]) WITH ORDINALITY o(opt, ord) ORDER BY o.ord
       ) AS options,
       ARRAY(
           SELECT CASE
                      WHEN opc.opcdefault AND (
                          opc.opcintype = kt.oid
                          OR kt.oid IS NULL
                          OR NOT EXISTS (
                              SELECT 1 FROM pg_catalog.pg_opclass d
                              WHERE d.opcmethod = opc.opcmethod AND d.opcdefault AND d.opcintype = kt.oid
                          ))
                      THEN NULL
                      WHEN pg_catalog.pg_opclass_is_visible(opc.oid) THEN quote_ident(opc.opcname)
                      ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname)
                  END
           FROM unnest(i.indclass::oid[]) WITH ORDINALITY c(opclass, ord)
           JOIN unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) ON k.ord = c.ord
           JOIN pg_catalog.pg_opclass opc ON opc.oid = c.opclass
           JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
           LEFT JOIN LATERAL (
               SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END AS oid
               FROM pg_catalog.pg_attribute ka
               JOIN pg_catalog.pg_type ty ON ty.oid = ka.atttypid
               WHERE (k.attnum <> 0 AND ka.attrelid = i.indrelid AND ka.attnum = k.attnum)
                  OR (k.attnum = 0 AND ka.attrelid = i.indexrelid AND ka.attnum = c.ord)
           ) kt ON true
           ORDER BY c.ord
       ) AS opclasses,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       i.indisvalid AS valid
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE n.nspname = ANY ($1::text[])
  AND c.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_constraint co
      WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')
  )
ORDER BY i.indrelid, ic.relname
