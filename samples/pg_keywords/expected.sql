-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "exhibit type" AS ENUM ('class', 'default', 'new', 'delete', 'in', 'in progress', 'on.hold');

-- CreateTable
CREATE TABLE "constructor" (
    "id" SERIAL NOT NULL,
    "class" TEXT NOT NULL,
    "default" BOOLEAN NOT NULL DEFAULT false,
    "delete" BOOLEAN NOT NULL DEFAULT false,
    "function" TEXT,
    "new" INTEGER NOT NULL DEFAULT 0,
    "import" TEXT,
    "export" TEXT,
    "type" "exhibit type" NOT NULL DEFAULT 'in progress',
    "enum" TEXT,
    "constructor" TEXT,
    "proto__" TEXT,
    "prototype" TEXT,
    "toString" TEXT,
    "valueOf" INTEGER,
    "hasOwnProperty" TEXT,
    "then" TEXT,
    "null" TEXT,
    "undefined" TEXT,
    "true" BOOLEAN,
    "this" INTEGER,

    CONSTRAINT "constructor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "museum.objects" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "integer" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "sql" TEXT,
    "relations" TEXT,
    "index" INTEGER NOT NULL DEFAULT 0,
    "table" TEXT,
    "pgTable" TEXT,
    "builderId" INTEGER,
    "where clause" TEXT,
    "select" TEXT,
    "AND" INTEGER,
    "OR" INTEGER,
    "NOT" INTEGER,

    CONSTRAINT "museum.objects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Promise" (
    "id" SERIAL NOT NULL,
    "objectId" INTEGER NOT NULL,
    "amount" DECIMAL(10,2) NOT NULL,
    "dueId" INTEGER,

    CONSTRAINT "Promise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Date" (
    "id" SERIAL NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "Date_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Error" (
    "id" SERIAL NOT NULL,
    "message" TEXT NOT NULL,
    "dateId" INTEGER NOT NULL,

    CONSTRAINT "Error_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user" (
    "id" SERIAL NOT NULL,
    "login" TEXT NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "login" TEXT NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sql" (
    "id" SERIAL NOT NULL,
    "query" TEXT NOT NULL,

    CONSTRAINT "sql_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relations" (
    "id" SERIAL NOT NULL,
    "left" INTEGER NOT NULL,
    "right" INTEGER NOT NULL,

    CONSTRAINT "relations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "index" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "index_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "table" (
    "id" SERIAL NOT NULL,
    "legs" INTEGER NOT NULL DEFAULT 4,

    CONSTRAINT "table_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "café menu" (
    "id" SERIAL NOT NULL,
    "naïve" BOOLEAN NOT NULL DEFAULT true,
    "crème" TEXT NOT NULL DEFAULT 'brûlée',
    "größe" INTEGER,
    "userId" INTEGER NOT NULL,

    CONSTRAINT "café menu_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_UserTouser" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_UserTouser_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE INDEX "museum.objects_integer_text_idx" ON "museum.objects"("integer", "text");

-- CreateIndex
CREATE UNIQUE INDEX "Date_day_key" ON "Date"("day");

-- CreateIndex
CREATE UNIQUE INDEX "user_login_key" ON "user"("login");

-- CreateIndex
CREATE UNIQUE INDEX "User_login_key" ON "User"("login");

-- CreateIndex
CREATE UNIQUE INDEX "index_key_key" ON "index"("key");

-- CreateIndex
CREATE UNIQUE INDEX "café menu_crème_größe_key" ON "café menu"("crème", "größe");

-- CreateIndex
CREATE INDEX "_UserTouser_B_index" ON "_UserTouser"("B");

-- AddForeignKey
ALTER TABLE "museum.objects" ADD CONSTRAINT "museum.objects_builderId_fkey" FOREIGN KEY ("builderId") REFERENCES "constructor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Promise" ADD CONSTRAINT "Promise_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "museum.objects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Promise" ADD CONSTRAINT "Promise_dueId_fkey" FOREIGN KEY ("dueId") REFERENCES "Date"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Error" ADD CONSTRAINT "Error_dateId_fkey" FOREIGN KEY ("dateId") REFERENCES "Date"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "café menu" ADD CONSTRAINT "café menu_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_UserTouser" ADD CONSTRAINT "_UserTouser_A_fkey" FOREIGN KEY ("A") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_UserTouser" ADD CONSTRAINT "_UserTouser_B_fkey" FOREIGN KEY ("B") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
