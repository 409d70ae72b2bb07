-- Prisma Migrate's history table (asked only after to_regclass found it).
SELECT migration_name,
       finished_at IS NOT NULL AS finished,
       rolled_back_at IS NOT NULL AS rolled_back
FROM public._prisma_migrations
ORDER BY started_at, migration_name
