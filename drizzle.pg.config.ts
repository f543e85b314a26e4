import { defineConfig } from 'drizzle-kit';

// PostgreSQL's schema and migrations, beside SQLite's (drizzle.config.ts): `npm run db:generate:pg`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema.ts',
  out: './db/pg/migrations',
});
