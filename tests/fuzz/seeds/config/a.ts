import { defineConfig } from "drizzle-kit";
import path from "node:path";
export default defineConfig({
  dialect: "postgresql",
  schema: path.join(__dirname, "src/db/schema.ts"),
  out: `./db/${"migrations"}`,
  dbCredentials: { url: process.env.DATABASE_URL! },
  migrations: { table: "my_history", schema: "audit" },
  schemaFilter: ["public", "billing"],
  tablesFilter: ["*"],
  casing: "snake_case",
});
