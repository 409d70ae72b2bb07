-- Enums of the selected schemas, plus enums of other schemas that their columns use; labels in
-- enumsortorder. Enums created by extensions are left out. $1: schema names.
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       ARRAY(
           SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
           WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder
       ) AS labels,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND (
      n.nspname = ANY ($1::text[])
      OR t.oid IN (
          SELECT CASE WHEN ct.typlen = -1 AND ct.typelem <> 0 AND ct.typcategory = 'A'
                      THEN ct.typelem ELSE ct.oid END
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
          JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
          JOIN pg_catalog.pg_type ct ON ct.oid = a.atttypid
          WHERE cn.nspname = ANY ($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped
      )
  )
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  )
ORDER BY n.nspname, t.typname
