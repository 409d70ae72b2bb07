-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Hazard" AS ENUM ('HAIL', 'FLOOD', 'HEATWAVE', 'FROST');

-- CreateTable
CREATE TABLE "Station" (
    "code" TEXT NOT NULL,
    "altitude" INTEGER NOT NULL,
    "sensorCount" BIGINT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "budget" DECIMAL(65,30) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "commissioned" TIMESTAMP(3) NOT NULL,
    "metadata" JSONB NOT NULL,
    "firmware" BYTEA NOT NULL,
    "nickname" TEXT,
    "floors" INTEGER,
    "serialNo" BIGINT,
    "longitude" DOUBLE PRECISION,
    "grant" DECIMAL(65,30),
    "heated" BOOLEAN,
    "retiredAt" TIMESTAMP(3),
    "extra" JSONB,
    "photo" BYTEA,

    CONSTRAINT "Station_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Sensor" (
    "id" INTEGER NOT NULL,
    "shelf" SMALLINT NOT NULL,
    "bigCounter" BIGINT NOT NULL,
    "calibration" DECIMAL(12,4) NOT NULL,
    "anyPrecision" DECIMAL,
    "purchasePrice" MONEY NOT NULL,
    "ipAddress" INET NOT NULL,
    "objectRef" OID,
    "label" CITEXT NOT NULL,
    "gain" REAL NOT NULL,
    "offset" DOUBLE PRECISION NOT NULL,
    "model" VARCHAR(80) NOT NULL,
    "vendor" VARCHAR,
    "countryCode" CHAR(2) NOT NULL,
    "grade" CHAR,
    "manual" TEXT NOT NULL,
    "blob" BYTEA NOT NULL,
    "installedAt" TIMESTAMP(6) NOT NULL,
    "checkedAt" TIMESTAMP NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeen" TIMESTAMPTZ NOT NULL,
    "dailyStart" TIME(0) NOT NULL,
    "dailyEnd" TIME,
    "localStart" TIMETZ(2) NOT NULL,
    "localEnd" TIMETZ,
    "installedOn" DATE NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "flags" BIT(8) NOT NULL,
    "mask" BIT,
    "pattern" VARBIT(32) NOT NULL,
    "anyPattern" VARBIT,
    "uid" UUID NOT NULL,
    "spec" XML,
    "rawJson" JSON NOT NULL,
    "tunedJson" JSONB,

    CONSTRAINT "Sensor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reading" (
    "id" BIGSERIAL NOT NULL,
    "tags" TEXT[],
    "samples" INTEGER[],
    "hazards" "Hazard"[],
    "timestamps" TIMESTAMP(3)[],
    "weights" DOUBLE PRECISION[],
    "switches" BOOLEAN[],
    "decimals" DECIMAL(8,2)[],
    "codes" VARCHAR(16)[],
    "search" tsvector,
    "coverage" circle,
    "footprint" box NOT NULL DEFAULT '((0,0),(1,1))'::box,
    "stationId" TEXT NOT NULL,

    CONSTRAINT "Reading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "hazard" "Hazard" NOT NULL,
    "note" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shelf" (
    "id" SMALLSERIAL NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "Shelf_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Counter" (
    "id" INTEGER NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "small" SMALLSERIAL NOT NULL,

    CONSTRAINT "Counter_pkey" PRIMARY KEY ("id")
);
