-- The selected schemas that exist. $1: schema names.
SELECT n.nspname::text AS name
FROM pg_catalog.pg_namespace n
WHERE n.nspname = ANY ($1::text[])
ORDER BY n.nspname
