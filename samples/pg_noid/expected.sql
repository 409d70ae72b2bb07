-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "legacyPin" TEXT,
    "newsletterEmail" TEXT,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NewsletterSignup" (
    "email" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT
);

-- CreateTable
CREATE TABLE "Waiver" (
    "memberId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "Studio" (
    "city" TEXT NOT NULL,
    "room" INTEGER NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "Studio_pkey" PRIMARY KEY ("city","room")
);

-- CreateTable
CREATE TABLE "ClassSlot" (
    "city" TEXT NOT NULL,
    "room" INTEGER NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "startsAt" TIME(0) NOT NULL,
    "title" TEXT NOT NULL,

    CONSTRAINT "ClassSlot_pkey" PRIMARY KEY ("city","room","weekday","startsAt")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "memberId" INTEGER NOT NULL,
    "city" TEXT NOT NULL,
    "room" INTEGER NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "startsAt" TIME(0) NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("memberId","day","city","room","weekday","startsAt")
);

-- CreateTable
CREATE TABLE "LegacyPunchCard" (
    "id" INTEGER NOT NULL,
    "holder" TEXT NOT NULL,
    "punches" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LegacyPunchCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportScratch" (
    "line" INTEGER NOT NULL,
    "payload" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Member_email_key" ON "Member"("email");

-- CreateIndex
CREATE UNIQUE INDEX "NewsletterSignup_email_key" ON "NewsletterSignup"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Waiver_memberId_key" ON "Waiver"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Waiver_memberId_version_key" ON "Waiver"("memberId", "version");

-- CreateIndex
CREATE INDEX "CheckIn_city_room_weekday_startsAt_idx" ON "CheckIn"("city", "room", "weekday", "startsAt");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_newsletterEmail_fkey" FOREIGN KEY ("newsletterEmail") REFERENCES "NewsletterSignup"("email") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Waiver" ADD CONSTRAINT "Waiver_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassSlot" ADD CONSTRAINT "ClassSlot_city_room_fkey" FOREIGN KEY ("city", "room") REFERENCES "Studio"("city", "room") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_city_room_weekday_startsAt_fkey" FOREIGN KEY ("city", "room", "weekday", "startsAt") REFERENCES "ClassSlot"("city", "room", "weekday", "startsAt") ON DELETE CASCADE ON UPDATE CASCADE;
