-- Primary keys, unique, foreign key, check and exclusion constraints of the selected schemas'
-- tables (NOT NULL constraints of PostgreSQL 18 are read from pg_attribute instead).
-- `nulls_not_distinct` goes through to_jsonb so the query also runs before PostgreSQL 15.
-- `definition` only where it tells more (exclusion constraints, SET NULL / SET DEFAULT column
-- lists). $1: schema names.
SELECT co.conrelid AS table_oid,
       co.conname::text AS name,
       co.contype::text AS kind,
       keys.columns,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       keys.ref_columns,
       co.confupdtype::text AS on_update,
       co.confdeltype::text AS on_delete,
       co.confmatchtype::text AS match_type,
       co.condeferrable AS deferrable,
       co.condeferred AS deferred,
       co.convalidated AS validated,
       co.connoinherit AS no_inherit,
       CASE WHEN co.contype = 'c' THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END AS check_sql,
       CASE WHEN co.contype = 'x' OR (co.contype = 'f' AND co.confdeltype IN ('n', 'd'))
            THEN pg_catalog.pg_get_constraintdef(co.oid) END AS definition,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = co.conindid AND co.contype = 'u'
-- Key and referenced columns by name, side by side in key order (unnest pads the shorter list).
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(a.attname::text ORDER BY k.ord) FILTER (WHERE a.attname IS NOT NULL), '{}') AS columns,
           coalesce(array_agg(r.attname::text ORDER BY k.ord) FILTER (WHERE r.attname IS NOT NULL), '{}') AS ref_columns
    FROM unnest(co.conkey, co.confkey) WITH ORDINALITY k(attnum, ref_attnum, ord)
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
    LEFT JOIN pg_catalog.pg_attribute r ON r.attrelid = co.confrelid AND r.attnum = k.ref_attnum
) keys
WHERE n.nspname = ANY ($1::text[])
  AND co.contype IN ('p', 'u', 'f', 'c', 'x')
  AND co.conparentid = 0
ORDER BY co.conrelid, co.conname
