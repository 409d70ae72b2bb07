-- CreateTable
CREATE TABLE "cooks" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "joined_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "kitchens" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cook_id" INTEGER NOT NULL,
    "stove" TEXT NOT NULL DEFAULT 'gas',
    CONSTRAINT "kitchens_cook_id_fkey" FOREIGN KEY ("cook_id") REFERENCES "cooks" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "recipes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "servings" INTEGER NOT NULL DEFAULT 2,
    "minutes" INTEGER,
    "cook_id" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "recipes_cook_id_fkey" FOREIGN KEY ("cook_id") REFERENCES "cooks" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ingredients" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "recipe_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "quantity" REAL,
    "unit" TEXT,
    CONSTRAINT "ingredients_recipe_id_fkey" FOREIGN KEY ("recipe_id") REFERENCES "recipes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "cooks_handle_key" ON "cooks"("handle");

-- CreateIndex
CREATE UNIQUE INDEX "kitchens_cook_id_key" ON "kitchens"("cook_id");

-- CreateIndex
CREATE UNIQUE INDEX "recipes_slug_key" ON "recipes"("slug");

-- CreateIndex
CREATE INDEX "recipes_cook_id_created_at_idx" ON "recipes"("cook_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ingredients_recipe_id_position_key" ON "ingredients"("recipe_id", "position");
