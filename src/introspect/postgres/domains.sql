-- Domains of the selected schemas, in creation order (a domain over a domain comes after its
-- base); their CHECK constraints by name. Domains created by extensions are left out.
-- $1: schema names.
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typnotnull AS not_null,
       t.typdefault AS default_sql,
       ARRAY(
           SELECT c.conname::text FROM pg_catalog.pg_constraint c
           WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname
       ) AS check_names,
       ARRAY(
           SELECT pg_catalog.pg_get_expr(c.conbin, 0) FROM pg_catalog.pg_constraint c
           WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname
       ) AS check_sql,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd'
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  )
ORDER BY t.oid
