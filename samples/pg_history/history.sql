-- pg_history: hand-written alterations applied AFTER expected.sql (Prisma's own DDL for
-- schema.prisma). Together they give the database a long-lived project reaches after years of
-- `prisma migrate`: the same schema as far as Prisma is concerned, but a catalog that no longer
-- matches a fresh `prisma migrate diff --from-empty` byte for byte. Unlike expected.sql this file
-- is written by hand; regen.sh never touches it.
-- Apply: psql -v ON_ERROR_STOP=1 -f expected.sql -f history.sql

-- a. Enum labels in history order. "post_status" first shipped with DRAFT, PUBLISHED, ARCHIVED;
--    'in_review' came in a later migration as `ALTER TYPE "post_status" ADD VALUE 'in_review';`,
--    which appends it at the end. The label set equals the schema's, only the order differs:
--    schema/expected.sql: DRAFT, in_review, PUBLISHED, ARCHIVED
--    database:            DRAFT, PUBLISHED, ARCHIVED, in_review
ALTER TYPE "post_status" RENAME TO "post_status_old";
CREATE TYPE "post_status" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED', 'in_review');
ALTER TABLE "Post" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Post" ALTER COLUMN "status" TYPE "post_status" USING "status"::text::"post_status";
ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'DRAFT';
DROP TYPE "post_status_old";

-- b. Implicit many-to-many join table created before Prisma 6: no primary key, a unique index
--    "_AB_unique" on (A, B) instead (Prisma 6 moved to "_AB_pkey").
ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_AB_pkey";
CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");

-- c. A foreign key still carrying an older naming style (named after the relation field, not the
--    column, as a hand-edited early migration did).
ALTER TABLE "Comment" RENAME CONSTRAINT "Comment_postId_fkey" TO "Comment_post_fkey";

-- d. A hand-written partial index added in a migration edited by hand (the schema cannot
--    express it, so `prisma migrate` never created or dropped it).
CREATE INDEX "Post_published_idx" ON "Post"("createdAt" DESC) WHERE "publishedAt" IS NOT NULL;

-- e. Prisma's unique index on Card(boardId, position) replaced by a DEFERRABLE unique constraint
--    with the same name and columns, so that cards can swap positions inside one transaction.
DROP INDEX "Card_boardId_position_key";
ALTER TABLE "Card" ADD CONSTRAINT "Card_boardId_position_key" UNIQUE ("boardId", "position") DEFERRABLE INITIALLY DEFERRED;
