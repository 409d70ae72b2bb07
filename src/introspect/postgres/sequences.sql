-- Sequences of the selected schemas with their options and, when a column owns them (serial:
-- deptype 'a', identity: 'i'), that column. `regclass` is the spelling nextval() defaults use.
-- $1: schema names.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       c.oid::regclass::text AS regclass,
       pg_catalog.format_type(s.seqtypid, NULL) AS type_sql,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       d.refobjid AS owner_table,
       d.refobjsubid AS owner_column,
       d.deptype::text AS owner_kind
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_depend d
  ON d.classid = 'pg_catalog.pg_class'::regclass
 AND d.objid = c.oid
 AND d.refclassid = 'pg_catalog.pg_class'::regclass
 AND d.deptype IN ('a', 'i')
WHERE n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e'
  )
ORDER BY n.nspname, c.relname
