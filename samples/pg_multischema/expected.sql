-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "auth";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "billing";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "auth"."StaffRole" AS ENUM ('VET', 'NURSE', 'RECEPTION');

-- CreateEnum
CREATE TYPE "Species" AS ENUM ('DOG', 'CAT', 'RABBIT', 'OTHER');

-- CreateEnum
CREATE TYPE "billing"."invoice_state" AS ENUM ('OPEN', 'PAID', 'VOID');

-- CreateTable
CREATE TABLE "auth"."staff_accounts" (
    "id" UUID NOT NULL,
    "login" TEXT NOT NULL,
    "role" "auth"."StaffRole" NOT NULL DEFAULT 'NURSE',

    CONSTRAINT "staff_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."AccessGroup" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "AccessGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Clinic" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Clinic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Owner" (
    "id" SERIAL NOT NULL,
    "fullName" TEXT NOT NULL,

    CONSTRAINT "Owner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pet" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "species" "Species" NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "clinicId" INTEGER,

    CONSTRAINT "Pet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" SERIAL NOT NULL,
    "petId" INTEGER NOT NULL,
    "vetId" UUID NOT NULL,
    "seenBy" "auth"."StaffRole" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."Invoice" (
    "id" SERIAL NOT NULL,
    "number" TEXT NOT NULL,
    "state" "billing"."invoice_state" NOT NULL DEFAULT 'OPEN',
    "ownerId" INTEGER NOT NULL,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."invoice_lines" (
    "invoiceId" INTEGER NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "visitId" INTEGER,
    "amount" DECIMAL(10,2) NOT NULL,
    "species" "Species",

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("invoiceId","lineNo")
);

-- CreateTable
CREATE TABLE "auth"."events" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."events" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."_AccessGroupToClinic" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_AccessGroupToClinic_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateTable
CREATE TABLE "_ClinicToStaffAccount" (
    "A" INTEGER NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_ClinicToStaffAccount_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_accounts_login_key" ON "auth"."staff_accounts"("login");

-- CreateIndex
CREATE UNIQUE INDEX "AccessGroup_name_key" ON "auth"."AccessGroup"("name");

-- CreateIndex
CREATE INDEX "Pet_ownerId_idx" ON "Pet"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_number_key" ON "billing"."Invoice"("number");

-- CreateIndex
CREATE INDEX "events_at_idx" ON "auth"."events"("at");

-- CreateIndex
CREATE INDEX "events_at_idx" ON "billing"."events"("at");

-- CreateIndex
CREATE INDEX "_AccessGroupToClinic_B_index" ON "auth"."_AccessGroupToClinic"("B");

-- CreateIndex
CREATE INDEX "_ClinicToStaffAccount_B_index" ON "_ClinicToStaffAccount"("B");

-- AddForeignKey
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Owner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_petId_fkey" FOREIGN KEY ("petId") REFERENCES "Pet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_vetId_fkey" FOREIGN KEY ("vetId") REFERENCES "auth"."staff_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing"."Invoice" ADD CONSTRAINT "Invoice_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Owner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "invoice_lines_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "billing"."Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "invoice_lines_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth"."_AccessGroupToClinic" ADD CONSTRAINT "_AccessGroupToClinic_A_fkey" FOREIGN KEY ("A") REFERENCES "auth"."AccessGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth"."_AccessGroupToClinic" ADD CONSTRAINT "_AccessGroupToClinic_B_fkey" FOREIGN KEY ("B") REFERENCES "Clinic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_ClinicToStaffAccount" ADD CONSTRAINT "_ClinicToStaffAccount_A_fkey" FOREIGN KEY ("A") REFERENCES "Clinic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_ClinicToStaffAccount" ADD CONSTRAINT "_ClinicToStaffAccount_B_fkey" FOREIGN KEY ("B") REFERENCES "auth"."staff_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
