// `pnpm migrate:new <name>` writes prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql with the SQL that
// takes the committed migrations to prisma/schema.prisma. `pnpm migrate:check` exits 1 while they differ (drift).
// Uses the schema engine's wasm build (scripts/schema-engine.ts): Prisma's own `migrate` commands need the
// native engine, which cannot be downloaded here (toolchain.md §5).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffMigrationsToSchema, isEmptyMigration, MIGRATION_LOCK } from './schema-engine.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const schemaPath = join(packageDir, 'prisma', 'schema.prisma');
const migrationsDir = join(packageDir, 'prisma', 'migrations');

/** Takes a time; returns Prisma's migration folder stamp `YYYYMMDDHHMMSS` (UTC). */
function migrationStamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function createMigration(name: string | undefined): Promise<number> {
  if (!name || !/^[a-z0-9_]{1,60}$/.test(name)) {
    console.error('usage: pnpm migrate:new <name>   (lower case letters, digits and _)');
    return 2;
  }
  const sql = await diffMigrationsToSchema(schemaPath, migrationsDir);
  if (isEmptyMigration(sql)) {
    console.log('schema.prisma matches the migrations: no migration needed');
    return 0;
  }
  const dir = join(migrationsDir, `${migrationStamp(new Date())}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  const lock = join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lock)) writeFileSync(lock, MIGRATION_LOCK);
  console.log(`wrote ${dir}/migration.sql: review it, then commit it with the schema change`);
  return 0;
}

async function checkDrift(): Promise<number> {
  const sql = await diffMigrationsToSchema(schemaPath, migrationsDir);
  if (isEmptyMigration(sql)) {
    console.log('schema.prisma and prisma/migrations are in sync');
    return 0;
  }
  console.error('schema.prisma differs from prisma/migrations; run `pnpm migrate:new <name>`. Missing steps:\n');
  console.error(sql);
  return 1;
}

const [command, name] = process.argv.slice(2);
const run = command === 'new' ? createMigration(name) : command === 'check' ? checkDrift() : Promise.resolve(-1);
run.then(
  (code) => {
    if (code === -1) console.error('usage: migrate-diff.ts new <name> | check');
    process.exitCode = code === -1 ? 2 : code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
