-- Row level security policies of the tables of the selected schemas. Roles by name, sorted as
-- pg_policies lists them; `public` (oid 0) for everyone. $1: schema names.
SELECT p.polrelid AS table_oid,
       p.polname::text AS name,
       p.polpermissive AS permissive,
       CASE p.polcmd
           WHEN 'r' THEN 'SELECT'
           WHEN 'a' THEN 'INSERT'
           WHEN 'w' THEN 'UPDATE'
           WHEN 'd' THEN 'DELETE'
           ELSE 'ALL'
       END AS command,
       ARRAY(
           SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.oid)::text END
           FROM unnest(p.polroles) AS r(oid)
           ORDER BY 1
       ) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_sql,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_sql
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY ($1::text[])
ORDER BY p.polrelid, p.polname
