-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Observer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "handle" TEXT NOT NULL,
    "mentorId" UUID,
    "partnerId" UUID,

    CONSTRAINT "Observer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sighting" (
    "id" UUID NOT NULL,
    "observerId" UUID NOT NULL,
    "seenAt" TIMESTAMPTZ(0) NOT NULL,

    CONSTRAINT "Sighting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Species" (
    "id" TEXT NOT NULL,
    "latinName" TEXT NOT NULL,

    CONSTRAINT "Species_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_Follows" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_Follows_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateTable
CREATE TABLE "_blocks" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_blocks_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateTable
CREATE TABLE "_SightingToSpecies" (
    "A" UUID NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_SightingToSpecies_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateTable
CREATE TABLE "_Lookalikes" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_Lookalikes_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "Observer_handle_key" ON "Observer"("handle");

-- CreateIndex
CREATE UNIQUE INDEX "Observer_partnerId_key" ON "Observer"("partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "Species_latinName_key" ON "Species"("latinName");

-- CreateIndex
CREATE INDEX "_Follows_B_index" ON "_Follows"("B");

-- CreateIndex
CREATE INDEX "_blocks_B_index" ON "_blocks"("B");

-- CreateIndex
CREATE INDEX "_SightingToSpecies_B_index" ON "_SightingToSpecies"("B");

-- CreateIndex
CREATE INDEX "_Lookalikes_B_index" ON "_Lookalikes"("B");

-- AddForeignKey
ALTER TABLE "Observer" ADD CONSTRAINT "Observer_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "Observer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observer" ADD CONSTRAINT "Observer_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Observer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sighting" ADD CONSTRAINT "Sighting_observerId_fkey" FOREIGN KEY ("observerId") REFERENCES "Observer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_Follows" ADD CONSTRAINT "_Follows_A_fkey" FOREIGN KEY ("A") REFERENCES "Observer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_Follows" ADD CONSTRAINT "_Follows_B_fkey" FOREIGN KEY ("B") REFERENCES "Observer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_blocks" ADD CONSTRAINT "_blocks_A_fkey" FOREIGN KEY ("A") REFERENCES "Observer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_blocks" ADD CONSTRAINT "_blocks_B_fkey" FOREIGN KEY ("B") REFERENCES "Observer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_SightingToSpecies" ADD CONSTRAINT "_SightingToSpecies_A_fkey" FOREIGN KEY ("A") REFERENCES "Sighting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_SightingToSpecies" ADD CONSTRAINT "_SightingToSpecies_B_fkey" FOREIGN KEY ("B") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_Lookalikes" ADD CONSTRAINT "_Lookalikes_A_fkey" FOREIGN KEY ("A") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_Lookalikes" ADD CONSTRAINT "_Lookalikes_B_fkey" FOREIGN KEY ("B") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;
