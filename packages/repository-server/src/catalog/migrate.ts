import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CatalogError } from './catalog-error.js';

/** The committed migrations: `<package>/prisma/migrations` (two levels above both src/catalog and dist/catalog). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/**
 * Prisma's migrations table, verbatim from prisma-engines' SQLite flavour (`create_migrations_table`), so that
 * `prisma migrate status/deploy` accept a database this runner migrated (toolchain.md §5).
 */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** One committed migration: its folder name and the raw bytes of its migration.sql. */
interface MigrationFile {
  name: string;
  script: Buffer;
}

/** A row of `_prisma_migrations`. */
interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: number | string | null;
  rolled_back_at: number | string | null;
  logs: string | null;
}

/** Takes a migration.sql's raw bytes; returns its checksum as Prisma computes it: SHA-256, 64 lower-case hex. */
export function migrationChecksum(script: Buffer): string {
  return createHash('sha256').update(script).digest('hex');
}

/** The checksums Prisma accepts for a file: its bytes, and the same with CRLF/LF line endings swapped. */
function acceptedChecksums(script: Buffer): string[] {
  const text = script.toString('latin1');
  const lf = text.replace(/\r\n/g, '\n');
  return [script, Buffer.from(lf, 'latin1'), Buffer.from(lf.replace(/\n/g, '\r\n'), 'latin1')].map(migrationChecksum);
}

/** Takes a migrations directory; returns every `<name>/migration.sql` in lexical order of name. */
function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, script: readFileSync(join(dir, name, 'migration.sql')) }));
}

/** Refuses to go on past a failed migration (P3009), an edited applied one, or one this build does not know. */
function checkHistory(rows: MigrationRow[], files: MigrationFile[]): void {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new CatalogError(
      'INTERNAL',
      `catalog migration ${failed.migration_name} failed earlier: ${failed.logs ?? ''}`,
      {
        details: { migration: failed.migration_name, prismaCode: 'P3009' },
        hint:
          'Restore vrs.db from a backup, or repair it by hand and then mark the migration rolled back ' +
          `(UPDATE _prisma_migrations SET rolled_back_at = <unix ms> WHERE id = '${failed.id}'); it is then applied again.`,
      },
    );
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of live) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new CatalogError(
        'INTERNAL',
        `catalog migration ${row.migration_name} is applied but unknown to this build`,
        {
          details: { migration: row.migration_name },
          hint: 'The catalog was migrated by a newer vrs-server: run that version, or restore vrs.db from a backup.',
        },
      );
    }
    if (!acceptedChecksums(file.script).includes(row.checksum)) {
      throw new CatalogError('INTERNAL', `catalog migration ${row.migration_name} was changed after it was applied`, {
        details: { migration: row.migration_name, applied: row.checksum, file: migrationChecksum(file.script) },
        hint: 'Applied migrations are immutable: restore the committed migration.sql and add a new migration instead.',
      });
    }
  }
}

/** Applies one migration as Prisma's engine does: a row before, the script (no transaction), then the outcome. */
function applyMigration(db: Database.Database, file: MigrationFile): void {
  const id = randomUUID();
  db.prepare(
    'INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, 0)',
  ).run(id, migrationChecksum(file.script), file.name, Date.now());
  try {
    // Not in a transaction: Prisma's table redefinitions use PRAGMA foreign_keys=OFF, a no-op inside one.
    db.exec(file.script.toString('utf8'));
  } catch (cause) {
    const logs = `${(cause as Error)?.message ?? String(cause)}`;
    db.prepare('UPDATE "_prisma_migrations" SET "logs" = ? WHERE "id" = ?').run(logs, id);
    throw new CatalogError('INTERNAL', `catalog migration ${file.name} failed: ${logs}`, {
      cause,
      details: { migration: file.name, prismaCode: 'P3018' },
      hint: 'The catalog is left in a failed-migration state; the server will not start until it is repaired.',
    });
  }
  db.prepare('UPDATE "_prisma_migrations" SET "finished_at" = ?, "applied_steps_count" = 1 WHERE "id" = ?').run(
    Date.now(),
    id,
  );
}

/**
 * Takes the path of a SQLite database (created when missing) and optionally the migrations directory; applies
 * the committed migrations it lacks, in lexical order, recording each in `_prisma_migrations` exactly as
 * Prisma's schema engine does (toolchain.md §5). Returns the names applied (none when up to date). Throws
 * CatalogError, before changing anything, when an earlier migration failed (P3009), an applied migration's
 * file changed, or an applied migration is unknown; and when a migration fails (its row then keeps the error
 * in `logs`, so every later run refuses until it is resolved).
 */
export function migrateCatalog(dbPath: string, options: { migrationsDir?: string } = {}): { applied: string[] } {
  const files = readMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const db = new Database(dbPath, { timeout: 10_000 });
  try {
    const hasTable = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (!hasTable) db.exec(MIGRATIONS_TABLE_DDL);
    const rows = db
      .prepare(
        'SELECT "id", "checksum", "migration_name", "finished_at", "rolled_back_at", "logs" FROM "_prisma_migrations" ORDER BY "started_at"',
      )
      .all() as MigrationRow[];
    checkHistory(rows, files);
    const done = new Set(rows.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
    const pending = files.filter((file) => !done.has(file.name));
    for (const file of pending) applyMigration(db, file);
    return { applied: pending.map((file) => file.name) };
  } finally {
    db.close();
  }
}
