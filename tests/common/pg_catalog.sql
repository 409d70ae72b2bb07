-- The project's normalized catalog listing of every non-system schema, one line per fact, sorted:
-- columns (type, nullability, default), constraints, index definitions and enum labels in order.
-- Two databases built by different scripts are equal when their listings are.
SELECT 'col ' || c.table_schema || '.' || c.table_name || '.' || c.column_name || ' '
       || format_type(a.atttypid, a.atttypmod) || ' ' || c.is_nullable || ' default=' || coalesce(c.column_default, '')
FROM information_schema.columns c
JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
                   AND a.attname = c.column_name
WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_name <> '_prisma_migrations'
UNION ALL
SELECT 'con ' || n.nspname || '.' || cl.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
FROM pg_constraint co
JOIN pg_class cl ON cl.oid = co.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND cl.relname <> '_prisma_migrations'
UNION ALL
SELECT 'idx ' || schemaname || ' ' || indexdef
FROM pg_indexes
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> '_prisma_migrations'
UNION ALL
SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
GROUP BY n.nspname, t.typname
ORDER BY 1;
