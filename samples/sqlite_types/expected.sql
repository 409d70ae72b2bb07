-- CreateTable
CREATE TABLE "Batch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "publicId" TEXT NOT NULL,
    "shareCode" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT 'Unnamed "batch" it''s',
    "style" TEXT NOT NULL DEFAULT 'ALE',
    "altStyle" TEXT,
    "liters" REAL NOT NULL DEFAULT 19.5,
    "gravity" DECIMAL NOT NULL DEFAULT 1.050,
    "cost" DECIMAL,
    "hops" INTEGER NOT NULL DEFAULT -1,
    "bottles" BIGINT NOT NULL DEFAULT 12,
    "carbonated" BOOLEAN NOT NULL DEFAULT false,
    "brewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bottledAt" DATETIME DEFAULT '2024-02-29 12:00:00 +00:00',
    "updatedAt" DATETIME NOT NULL,
    "recipe" JSONB,
    "photo" BLOB,
    "signature" BLOB NOT NULL DEFAULT '010203',
    "notes" TEXT,
    "slugLower" TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))))
);

-- CreateTable
CREATE TABLE "Reading" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "batchId" INTEGER NOT NULL,
    "takenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "celsius" REAL NOT NULL,
    "gravity" DECIMAL,
    CONSTRAINT "Reading_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sortKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    "meta" JSONB NOT NULL,
    "size" BIGINT NOT NULL,
    "checksum" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Batch_publicId_key" ON "Batch"("publicId");

-- CreateIndex
CREATE INDEX "Reading_batchId_takenAt_idx" ON "Reading"("batchId", "takenAt");

-- CreateIndex
CREATE UNIQUE INDEX "StoredFile_sortKey_key" ON "StoredFile"("sortKey");
