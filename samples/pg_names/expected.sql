-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "membership_tier" AS ENUM ('basic', 'reader_plus', 'scholar');

-- CreateEnum
CREATE TYPE "loan status" AS ENUM ('OUT', 'returned-late', 'LOST');

-- CreateTable
CREATE TABLE "branches" (
    "branch_id" SERIAL NOT NULL,
    "city_code" CHAR(3) NOT NULL,
    "branch_name" TEXT NOT NULL,
    "district" TEXT NOT NULL,

    CONSTRAINT "branch_pk" PRIMARY KEY ("branch_id")
);

-- CreateTable
CREATE TABLE "patrons" (
    "patron_id" SERIAL NOT NULL,
    "card_no" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "tier" "membership_tier" NOT NULL DEFAULT 'reader_plus',
    "home_branch" INTEGER NOT NULL,

    CONSTRAINT "patrons_pkey" PRIMARY KEY ("patron_id")
);

-- CreateTable
CREATE TABLE "titles" (
    "isbn13" VARCHAR(13) NOT NULL,
    "edition_no" INTEGER NOT NULL,
    "title" TEXT NOT NULL,

    CONSTRAINT "title_pk" PRIMARY KEY ("isbn13","edition_no")
);

-- CreateTable
CREATE TABLE "copies" (
    "id" SERIAL NOT NULL,
    "barcode" TEXT NOT NULL,
    "title_isbn" VARCHAR(13) NOT NULL,
    "title_edition" INTEGER NOT NULL,
    "branch" INTEGER NOT NULL,

    CONSTRAINT "copies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loans" (
    "patron" INTEGER NOT NULL,
    "copy" INTEGER NOT NULL,
    "lent_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "loan status" NOT NULL DEFAULT 'returned-late',

    CONSTRAINT "loans_pkey" PRIMARY KEY ("patron","copy","lent_at")
);

-- CreateTable
CREATE TABLE "InterlibraryLoanRequest" (
    "id" SERIAL NOT NULL,
    "requestingBranchIdentifierForTheInterlibraryLoanWorkflow" INTEGER NOT NULL,
    "externalCatalogueReferenceNumberAssignedByTheLendingArchive" TEXT NOT NULL,
    "secondaryCatalogueReferenceNumberAssignedByTheLendingArchive" TEXT NOT NULL,
    "priorityLevel" INTEGER NOT NULL,

    CONSTRAINT "InterlibraryLoanRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArchiveRequesterAccountWithAnExceptionallyLongDescriptiveName" (
    "id" SERIAL NOT NULL,

    CONSTRAINT "ArchiveRequesterAccountWithAnExceptionallyLongDescriptiveN_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogueSubjectHeading" (
    "id" SERIAL NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "CatalogueSubjectHeading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bibliothèque" (
    "id" SERIAL NOT NULL,
    "référenceÉditorialeDuCatalogueDépartementalÉté" TEXT NOT NULL,
    "côte" TEXT NOT NULL,
    "indiceDeClassementDeweyAttribueParLeServiceDéclassement" TEXT NOT NULL,

    CONSTRAINT "Bibliothèque_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reading_room_booking_requests_submitted_through_the_public_web_portal" (
    "id" SERIAL NOT NULL,
    "seat" INTEGER NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "reading_room_booking_requests_submitted_through_the_public_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_interlibrary_loan_requests_tagged_with_catalogue_subject_headi" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_interlibrary_loan_requests_tagged_with_catalogue_subje_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "branch_name_uq" ON "branches"("branch_name");

-- CreateIndex
CREATE INDEX "branch_district_legacy" ON "branches"("district");

-- CreateIndex
CREATE UNIQUE INDEX "branches_city_code_district_key" ON "branches"("city_code", "district");

-- CreateIndex
CREATE UNIQUE INDEX "patrons_card_no_key" ON "patrons"("card_no");

-- CreateIndex
CREATE UNIQUE INDEX "patron_email_unique" ON "patrons"("email");

-- CreateIndex
CREATE INDEX "patron_tier_home" ON "patrons"("tier", "home_branch");

-- CreateIndex
CREATE UNIQUE INDEX "copy_shelf_barcode" ON "copies"("branch", "barcode");

-- CreateIndex
CREATE UNIQUE INDEX "copies_title_isbn_title_edition_barcode_key" ON "copies"("title_isbn", "title_edition", "barcode");

-- CreateIndex
CREATE UNIQUE INDEX "InterlibraryLoanRequest_externalCatalogueReferenceNumberAss_key" ON "InterlibraryLoanRequest"("externalCatalogueReferenceNumberAssignedByTheLendingArchive");

-- CreateIndex
CREATE INDEX "InterlibraryLoanRequest_priorityLevel_secondaryCatalogueRef_idx" ON "InterlibraryLoanRequest"("priorityLevel", "secondaryCatalogueReferenceNumberAssignedByTheLendingArchive");

-- CreateIndex
CREATE UNIQUE INDEX "InterlibraryLoanRequest_secondaryCatalogueReferenceNumberAs_key" ON "InterlibraryLoanRequest"("secondaryCatalogueReferenceNumberAssignedByTheLendingArchive", "priorityLevel");

-- CreateIndex
CREATE UNIQUE INDEX "Bibliothèque_référenceÉditorialeDuCatalogueDépartement_key" ON "Bibliothèque"("référenceÉditorialeDuCatalogueDépartementalÉté");

-- CreateIndex
CREATE UNIQUE INDEX "Bibliothèque_indiceDeClassementDeweyAttribueParLeServiceD_key" ON "Bibliothèque"("indiceDeClassementDeweyAttribueParLeServiceDéclassement");

-- CreateIndex
CREATE INDEX "Bibliothèque_côte_référenceÉditorialeDuCatalogueDépar_idx" ON "Bibliothèque"("côte", "référenceÉditorialeDuCatalogueDépartementalÉté");

-- CreateIndex
CREATE UNIQUE INDEX "reading_room_booking_requests_submitted_through_the_public__key" ON "reading_room_booking_requests_submitted_through_the_public_web_portal"("seat", "day");

-- CreateIndex
CREATE INDEX "_interlibrary_loan_requests_tagged_with_catalogue_subje_B_index" ON "_interlibrary_loan_requests_tagged_with_catalogue_subject_headi"("B");

-- AddForeignKey
ALTER TABLE "patrons" ADD CONSTRAINT "patron_home_fk" FOREIGN KEY ("home_branch") REFERENCES "branches"("branch_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copies" ADD CONSTRAINT "copies_title_isbn_title_edition_fkey" FOREIGN KEY ("title_isbn", "title_edition") REFERENCES "titles"("isbn13", "edition_no") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copies" ADD CONSTRAINT "copies_branch_fkey" FOREIGN KEY ("branch") REFERENCES "branches"("branch_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loans" ADD CONSTRAINT "loans_patron_fkey" FOREIGN KEY ("patron") REFERENCES "patrons"("patron_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "loans" ADD CONSTRAINT "loan_copy_fk" FOREIGN KEY ("copy") REFERENCES "copies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterlibraryLoanRequest" ADD CONSTRAINT "InterlibraryLoanRequest_requestingBranchIdentifierForTheIn_fkey" FOREIGN KEY ("requestingBranchIdentifierForTheInterlibraryLoanWorkflow") REFERENCES "ArchiveRequesterAccountWithAnExceptionallyLongDescriptiveName"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_interlibrary_loan_requests_tagged_with_catalogue_subject_headi" ADD CONSTRAINT "_interlibrary_loan_requests_tagged_with_catalogue_subjec_A_fkey" FOREIGN KEY ("A") REFERENCES "CatalogueSubjectHeading"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_interlibrary_loan_requests_tagged_with_catalogue_subject_headi" ADD CONSTRAINT "_interlibrary_loan_requests_tagged_with_catalogue_subjec_B_fkey" FOREIGN KEY ("B") REFERENCES "InterlibraryLoanRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
