import { defineConfig } from 'prisma/config';

// Prisma 7 reads its settings here, not from .env (toolchain.md §3). Only `prisma generate`, `validate` and
// `format` run on these machines: the migrate/db commands need the native schema engine, which cannot be
// downloaded (toolchain.md §5). Migrations are made by scripts/migrate-diff.ts and applied by
// src/catalog/migrate.ts; the server opens `<data>/vrs.db` itself. The URL below only serves Prisma tools run
// by hand (e.g. `prisma studio`) against a scratch catalog.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: 'file:./.work/catalog.db' },
});
