-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SeatClass" AS ENUM ('STALLS', 'dress_circle', 'upper balcony', 'STANDING');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('BOX_OFFICE', 'ONLINE', 'PARTNER');

-- CreateTable
CREATE TABLE "Venue" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "publicRef" TEXT NOT NULL,
    "legacyRef" TEXT NOT NULL,
    "shortCode" TEXT NOT NULL,
    "doorCode" TEXT NOT NULL,
    "sortKey" TEXT NOT NULL,
    "externalId" UUID NOT NULL,
    "dbUuid" UUID NOT NULL DEFAULT gen_random_uuid(),
    "computed" TEXT,
    "name" TEXT NOT NULL DEFAULT 'Unnamed venue',
    "greeting" TEXT NOT NULL DEFAULT 'Welcome to "the hall"
It''s open \ enjoy	tabs',
    "unicodeSign" TEXT NOT NULL DEFAULT 'café → stage',
    "empty" TEXT NOT NULL DEFAULT '',
    "capacity" INTEGER NOT NULL DEFAULT 250,
    "floorDelta" INTEGER NOT NULL DEFAULT -3,
    "bigSeats" BIGINT NOT NULL DEFAULT 9007199254740993,
    "negBig" BIGINT NOT NULL DEFAULT -42,
    "rating" DOUBLE PRECISION NOT NULL DEFAULT 4.5,
    "tilt" DOUBLE PRECISION NOT NULL DEFAULT -0.25,
    "wholeFloat" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "oneDotZero" DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    "zeroFee" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "scaled" DECIMAL(20,4) NOT NULL DEFAULT -1234567.0001,
    "smallDef" SMALLINT NOT NULL DEFAULT 7,
    "fee" DECIMAL(65,30) NOT NULL DEFAULT 1.50,
    "deposit" DECIMAL(10,2) NOT NULL DEFAULT 12.10,
    "accessible" BOOLEAN NOT NULL DEFAULT true,
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "seatClass" "SeatClass" NOT NULL DEFAULT 'dress_circle',
    "topClass" "SeatClass" NOT NULL DEFAULT 'upper balcony',
    "channel" "Channel" DEFAULT 'ONLINE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdTz" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "openedOn" DATE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "opening" TIMESTAMP(3) NOT NULL DEFAULT '2021-06-01 18:30:00 +02:00',
    "launch" TIMESTAMP(3) NOT NULL DEFAULT '2020-01-15 09:00:00.250 +00:00',
    "settings" JSONB NOT NULL DEFAULT '{"theme": "dark", "note": "it''s fine", "levels": [1, 2]}',
    "emptyJson" JSONB NOT NULL DEFAULT '{}',
    "jsonList" JSON NOT NULL DEFAULT '[]',
    "logo" BYTEA NOT NULL DEFAULT '\x48656c6c6f',
    "noBytes" BYTEA NOT NULL DEFAULT '\x',

    CONSTRAINT "Venue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Show" (
    "id" SERIAL NOT NULL,
    "venueId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "priceSteps" INTEGER[] DEFAULT ARRAY[1, 2]::INTEGER[],
    "labels" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],
    "noLabels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "classes" "SeatClass"[] DEFAULT ARRAY['STALLS', 'upper balcony']::"SeatClass"[],
    "ratios" DOUBLE PRECISION[] DEFAULT ARRAY[0.5, -1.25]::DOUBLE PRECISION[],
    "dates" TIMESTAMP(3)[] DEFAULT ARRAY['2024-12-31 23:59:59 +00:00']::TIMESTAMP(3)[],
    "toggles" BOOLEAN[] DEFAULT ARRAY[true, false]::BOOLEAN[],
    "bigs" BIGINT[] DEFAULT ARRAY[1, 9223372036854775807]::BIGINT[],
    "startsAt" TIMESTAMP(3) NOT NULL DEFAULT (now() + '7 days'::interval),
    "titleUpper" TEXT NOT NULL DEFAULT upper('tba'),
    "updated" TIMESTAMP(3),

    CONSTRAINT "Show_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Venue_slug_key" ON "Venue"("slug");

-- AddForeignKey
ALTER TABLE "Show" ADD CONSTRAINT "Show_venueId_fkey" FOREIGN KEY ("venueId") REFERENCES "Venue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
