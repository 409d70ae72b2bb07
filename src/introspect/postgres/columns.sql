-- Columns of every table and view of the selected schemas, in attnum order. For arrays, `base_*`
-- describe the element type. $1: schema names.
SELECT a.attrelid AS table_oid,
       a.attnum::int4 AS attnum,
       a.attname::text AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_sql,
       (t.typlen = -1 AND t.typelem <> 0 AND t.typcategory = 'A') AS is_array,
       a.attndims::int4 AS dims,
       a.attnotnull AS not_null,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_sql,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       pg_catalog.col_description(a.attrelid, a.attnum) AS comment,
       bn.nspname::text AS base_schema,
       b.typname::text AS base_name,
       b.typtype::text AS base_kind,
       pg_catalog.format_type(b.oid, a.atttypmod) AS base_sql,
       pg_catalog.format_type(b.oid, -1) AS base_cast,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type b
  ON b.oid = CASE WHEN t.typlen = -1 AND t.typelem <> 0 AND t.typcategory = 'A' THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace bn ON bn.oid = b.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE n.nspname = ANY ($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
