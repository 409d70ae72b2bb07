-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "btree_gist" WITH SCHEMA "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH VERSION "1.1";

-- CreateTable
CREATE TABLE "Agent" (
    "id" SERIAL NOT NULL,
    "licence" TEXT NOT NULL,
    "surname" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "agency" TEXT NOT NULL,
    "phone" TEXT,
    "retired" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Listing" (
    "id" SERIAL NOT NULL,
    "agentId" INTEGER NOT NULL,
    "headline" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "postcode" VARCHAR(10) NOT NULL,
    "price" DECIMAL(12,2) NOT NULL,
    "features" JSONB NOT NULL,
    "amenities" TEXT[],
    "listedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Listing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" BIGSERIAL NOT NULL,
    "listingId" INTEGER NOT NULL,
    "clientIp" INET NOT NULL,
    "visitedAt" TIMESTAMPTZ(3) NOT NULL,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "score" INTEGER NOT NULL DEFAULT 0,
    "token" UUID NOT NULL DEFAULT uuid_generate_v4(),

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Agent_licence_key" ON "Agent"("licence" DESC);

-- CreateIndex
CREATE INDEX "Agent_surname_givenName_idx" ON "Agent"("surname" DESC, "givenName" ASC);

-- CreateIndex
CREATE INDEX "Agent_phone_idx" ON "Agent" USING HASH ("phone");

-- CreateIndex
CREATE INDEX "agent_with_phone" ON "Agent"("agency") WHERE ("phone" IS NOT NULL AND "agency" != 'freelance');

-- CreateIndex
CREATE UNIQUE INDEX "Agent_agency_surname_givenName_key" ON "Agent"("agency", "surname" DESC, "givenName");

-- CreateIndex
CREATE UNIQUE INDEX "agent_active_phone_uq" ON "Agent"("phone") WHERE (retired = false AND phone IS NOT NULL);

-- CreateIndex
CREATE INDEX "Listing_agentId_idx" ON "Listing"("agentId");

-- CreateIndex
CREATE INDEX "listing_price_recent" ON "Listing"("price" DESC, "listedAt" DESC);

-- CreateIndex
CREATE INDEX "Listing_features_idx" ON "Listing" USING GIN ("features" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "listing_amenities_gin" ON "Listing" USING GIN ("amenities" array_ops);

-- CreateIndex
CREATE INDEX "Listing_headline_idx" ON "Listing" USING GIN ("headline" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Listing_description_idx" ON "Listing" USING GIST ("description" gist_trgm_ops);

-- CreateIndex
CREATE INDEX "Listing_postcode_idx" ON "Listing" USING SPGIST ("postcode");

-- CreateIndex
CREATE INDEX "Listing_listedAt_idx" ON "Listing" USING BRIN ("listedAt");

-- CreateIndex
CREATE INDEX "Listing_postcode_price_idx" ON "Listing"("postcode", "price");

-- CreateIndex
CREATE INDEX "listing_live_recent" ON "Listing"("listedAt") WHERE ("archived" = false);

-- CreateIndex
CREATE UNIQUE INDEX "Listing_agentId_headline_key" ON "Listing"("agentId", "headline") WHERE (archived = false);

-- CreateIndex
CREATE INDEX "Visit_clientIp_idx" ON "Visit" USING GIST ("clientIp" inet_ops);

-- CreateIndex
CREATE INDEX "visit_listing_ip_gist" ON "Visit" USING GIST ("listingId" gist_int4_ops, "clientIp" inet_ops);

-- CreateIndex
CREATE INDEX "visit_time_brin" ON "Visit" USING BRIN ("visitedAt" timestamptz_minmax_ops);

-- CreateIndex
CREATE INDEX "Visit_listingId_visitedAt_idx" ON "Visit"("listingId", "visitedAt" DESC);

-- CreateIndex
CREATE INDEX "Visit_score_idx" ON "Visit"("score") WHERE ("flagged" = true AND "score" != 0);

-- AddForeignKey
ALTER TABLE "Listing" ADD CONSTRAINT "Listing_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "Listing"("id") ON DELETE CASCADE ON UPDATE CASCADE;
