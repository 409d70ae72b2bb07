-- What a database holds beyond tables, columns, constraints, indexes and enums, for the tests that
-- compare it too: policies, row-level-security flags, domains with their constraints, sequences,
-- and comments on relations, columns and domains. One line per fact, each naming its object.
SELECT 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd
       || ' to ' || array_to_string(roles, ',') || ' using ' || coalesce(qual, '-') || ' check ' || coalesce(with_check, '-')
FROM pg_policies
WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT 'rls ' || n.nspname || '.' || c.relname || ' ' || c.relrowsecurity || ' force ' || c.relforcerowsecurity
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
UNION ALL
SELECT 'domain ' || n.nspname || '.' || t.typname || ' ' || format_type(t.typbasetype, t.typtypmod)
       || ' notnull ' || t.typnotnull || ' default ' || coalesce(t.typdefault, '-')
       || ' checks ' || coalesce((SELECT string_agg(co.conname || ' ' || pg_get_constraintdef(co.oid), '; ' ORDER BY co.conname)
                                  FROM pg_constraint co WHERE co.contypid = t.oid), '-')
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND t.typtype = 'd'
UNION ALL
SELECT 'seq ' || schemaname || '.' || sequencename || ' ' || data_type::text || ' start ' || start_value
       || ' min ' || min_value || ' max ' || max_value || ' inc ' || increment_by || ' cache ' || cache_size
       || ' cycle ' || cycle
FROM pg_sequences
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND sequencename <> '_prisma_migrations_id_seq'
UNION ALL
SELECT 'comment ' || n.nspname || '.' || c.relname || coalesce('.' || a.attname, '') || ' ' || d.description
FROM pg_description d
JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT 'comment domain ' || n.nspname || '.' || t.typname || ' ' || d.description
FROM pg_description d
JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
