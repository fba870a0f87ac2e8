import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnoseMigrationHistory } from '../scripts/schema-engine.js';
import { CatalogError, DEFAULT_MIGRATIONS_DIR, MIGRATIONS_TABLE_DDL, migrateCatalog } from '../src/index.js';
import { makeTempDir, writeMigrations } from './helpers/catalog-fixture.js';

const SCHEMA = new URL('../prisma/schema.prisma', import.meta.url).pathname;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Row {
  id: string;
  checksum: string;
  finished_at: number | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: number | null;
  started_at: number;
  applied_steps_count: number;
}

let temp: ReturnType<typeof makeTempDir>;
let dbPath: string;
beforeEach(() => {
  temp = makeTempDir();
  dbPath = join(temp.dir, 'vrs.db');
});
afterEach(() => temp.remove());

/** Reads a table of the database at dbPath. */
function read<T>(sql: string): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const migrationRows = () => read<Row>('SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');
const tables = () =>
  read<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((t) => t.name);

/** Runs migrateCatalog; returns the CatalogError it throws (fails the test when it does not throw one). */
function refusal(migrationsDir: string): CatalogError {
  try {
    migrateCatalog(dbPath, { migrationsDir });
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return error as CatalogError;
  }
  throw new Error('migrateCatalog did not refuse');
}

/** The committed migration folders, in the order they apply. */
function committedMigrations(): string[] {
  return readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

describe('migrateCatalog with the committed migrations', () => {
  it('creates every table of the schema in an empty database, then applies nothing on the next run', () => {
    const first = migrateCatalog(dbPath);
    expect(first.applied).toEqual(committedMigrations());
    expect(first.applied[0]).toMatch(/^\d{14}_init$/);
    expect(tables()).toEqual(
      expect.arrayContaining(['Host', 'Vm', 'Snapshot', 'Job', 'RetentionPolicy', 'AuditEntry', '_prisma_migrations']),
    );
    const rowsBefore = migrationRows();
    expect(migrateCatalog(dbPath).applied).toEqual([]);
    expect(migrationRows()).toEqual(rowsBefore);
  });

  it('records each migration as Prisma does: uuid v4, sha256 of the raw file, unix-ms times, one step', () => {
    const before = Date.now();
    migrateCatalog(dbPath);
    const after = Date.now();
    const rows = migrationRows();
    expect(rows.map((r) => r.migration_name)).toEqual(committedMigrations());
    for (const row of rows) {
      const file = readFileSync(join(DEFAULT_MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.id).toMatch(UUID_V4);
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(Number.isInteger(row.started_at) && Number.isInteger(row.finished_at)).toBe(true);
      expect(row.started_at).toBeGreaterThanOrEqual(before);
      expect(row.finished_at).toBeGreaterThanOrEqual(row.started_at);
      expect(row.finished_at).toBeLessThanOrEqual(after);
      expect(row).toMatchObject({ applied_steps_count: 1, logs: null, rolled_back_at: null });
    }
    const [ddl] = read<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = '_prisma_migrations'");
    expect(ddl?.sql).toBe(MIGRATIONS_TABLE_DDL);
  });

  it("is accepted by Prisma's own schema engine as in sync, and an edit is seen as one", async () => {
    migrateCatalog(dbPath);
    expect(await diagnoseMigrationHistory(SCHEMA, dbPath, DEFAULT_MIGRATIONS_DIR)).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
    const copy = join(temp.dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, copy, { recursive: true });
    const [name] = migrationRows().map((row) => row.migration_name);
    appendFileSync(join(copy, `${name}`, 'migration.sql'), ' ');
    expect((await diagnoseMigrationHistory(SCHEMA, dbPath, copy)).editedMigrationNames).toEqual([name]);
    expect(refusal(copy).message).toContain('was changed after it was applied');
  });
});

describe('migrateCatalog with a history', () => {
  it('applies migrations in lexical order and only the new ones later', () => {
    const dir = join(temp.dir, 'migrations');
    writeMigrations(dir, {
      '20260102000000_second': 'ALTER TABLE "A" ADD COLUMN "y" TEXT;',
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);',
    });
    expect(migrateCatalog(dbPath, { migrationsDir: dir }).applied).toEqual([
      '20260101000000_first',
      '20260102000000_second',
    ]);
    writeMigrations(dir, { '20260103000000_third': 'CREATE TABLE "B" ("z" TEXT);\nCREATE INDEX "B_z" ON "B"("z");' });
    expect(migrateCatalog(dbPath, { migrationsDir: dir }).applied).toEqual(['20260103000000_third']);
    expect(migrationRows().map((row) => row.migration_name)).toEqual([
      '20260101000000_first',
      '20260102000000_second',
      '20260103000000_third',
    ]);
  });

  it('refuses when an applied migration was changed, before applying anything new', () => {
    const dir = writeMigrations(join(temp.dir, 'migrations'), {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);',
    });
    migrateCatalog(dbPath, { migrationsDir: dir });
    writeMigrations(dir, {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT, "edited" TEXT);',
      '20260102000000_second': 'CREATE TABLE "B" ("z" TEXT);',
    });
    const error = refusal(dir);
    expect(error.message).toContain('20260101000000_first was changed after it was applied');
    expect(error.details).toMatchObject({ migration: '20260101000000_first' });
    expect(tables()).not.toContain('B');
  });

  it('accepts an applied migration whose line endings were swapped (CRLF/LF), as Prisma does', () => {
    const dir = writeMigrations(join(temp.dir, 'migrations'), {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);\nCREATE TABLE "C" ("x" TEXT);\n',
    });
    migrateCatalog(dbPath, { migrationsDir: dir });
    writeMigrations(dir, {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);\r\nCREATE TABLE "C" ("x" TEXT);\r\n',
    });
    expect(migrateCatalog(dbPath, { migrationsDir: dir }).applied).toEqual([]);
  });

  it('refuses an applied migration this build does not have (a newer server migrated the catalog)', () => {
    const dir = writeMigrations(join(temp.dir, 'migrations'), {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);',
    });
    const newer = writeMigrations(join(temp.dir, 'newer'), {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);',
      '20260105000000_future': 'CREATE TABLE "F" ("x" TEXT);',
    });
    migrateCatalog(dbPath, { migrationsDir: newer });
    expect(refusal(dir).message).toContain('20260105000000_future is applied but unknown to this build');
  });

  it('stops at a failed migration, keeps its error in logs, and refuses every later run (P3009)', () => {
    const dir = writeMigrations(join(temp.dir, 'migrations'), {
      '20260101000000_first': 'CREATE TABLE "A" ("x" TEXT);',
      '20260102000000_broken': 'CREATE TABLE "B" ("y" TEXT);\nINSERT INTO "Missing" VALUES (1);',
      '20260103000000_after': 'CREATE TABLE "C" ("z" TEXT);',
    });
    const failed = refusal(dir);
    expect(failed.message).toContain('20260102000000_broken failed: no such table: Missing');
    expect(failed.details).toMatchObject({ migration: '20260102000000_broken', prismaCode: 'P3018' });
    const rows = migrationRows();
    expect(rows.map((row) => [row.migration_name, row.finished_at === null, row.applied_steps_count])).toEqual([
      ['20260101000000_first', false, 1],
      ['20260102000000_broken', true, 0],
    ]);
    expect(rows[1]?.logs).toContain('no such table: Missing');
    expect(tables()).not.toContain('C');

    const again = refusal(dir);
    expect(again.details).toMatchObject({ migration: '20260102000000_broken', prismaCode: 'P3009' });
    expect(again.hint).toContain('rolled_back_at');
    expect(tables()).not.toContain('C');
  });

  it('applies a failed migration again once it is fixed and marked rolled back', () => {
    const dir = writeMigrations(join(temp.dir, 'migrations'), {
      '20260101000000_broken': 'CREATE TABLE "B" ("y" TEXT);\nINSERT INTO "Missing" VALUES (1);',
    });
    refusal(dir);
    const db = new Database(dbPath);
    db.exec('DROP TABLE "B"');
    db.prepare('UPDATE _prisma_migrations SET rolled_back_at = ? WHERE finished_at IS NULL').run(Date.now());
    db.close();
    writeFileSync(join(dir, '20260101000000_broken', 'migration.sql'), 'CREATE TABLE "B" ("y" TEXT);');
    expect(migrateCatalog(dbPath, { migrationsDir: dir }).applied).toEqual(['20260101000000_broken']);
    expect(migrationRows().map((row) => [row.rolled_back_at === null, row.finished_at === null])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('runs a migration outside a transaction, so PRAGMA foreign_keys=OFF takes effect in a table redefinition', () => {
    const dir = writeMigrations(join(temp.dir, 'migrations'), {
      '20260101000000_first':
        'CREATE TABLE "P" ("id" TEXT PRIMARY KEY);\nCREATE TABLE "K" ("p" TEXT REFERENCES "P"("id") ON DELETE CASCADE);\n' +
        'INSERT INTO "P" VALUES (\'a\');\nINSERT INTO "K" VALUES (\'a\');',
      // Prisma's redefinition pattern: with foreign keys on, DROP TABLE "P" would cascade-delete K's row.
      '20260102000000_redefine':
        'PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_P" ("id" TEXT PRIMARY KEY, "n" TEXT);\n' +
        'INSERT INTO "new_P" ("id") SELECT "id" FROM "P";\nDROP TABLE "P";\nALTER TABLE "new_P" RENAME TO "P";\n' +
        'PRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;',
    });
    migrateCatalog(dbPath, { migrationsDir: dir });
    expect(read<{ p: string }>('SELECT p FROM "K"')).toEqual([{ p: 'a' }]);
  });
});
