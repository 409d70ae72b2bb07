import "dotenv/config";
import path from "node:path";
import { defineConfig, env } from "prisma/config";
export default defineConfig({
  schema: path.join(import.meta.dirname, "prisma"),
  migrations: { path: path.resolve(__dirname, "prisma", "migrations") },
  datasource: { url: env("DATABASE_URL"), directUrl: process.env.DIRECT_URL ?? "postgres://localhost/x" },
}) satisfies object;
