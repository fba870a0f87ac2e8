import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  EMPTY_MIGRATION,
  isEmptyMigration,
} from '../scripts/schema-engine.js';
import { DEFAULT_MIGRATIONS_DIR, migrateCatalog } from '../src/index.js';
import { makeTempDir } from './helpers/catalog-fixture.js';

const PACKAGE = new URL('..', import.meta.url).pathname;
const SCHEMA = join(PACKAGE, 'prisma', 'schema.prisma');

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('vrs-drift-');
});
afterEach(() => temp.remove());

/** Takes an edit of schema.prisma's text; writes the edited copy in the temp dir and returns its path. */
function editedSchema(edit: (text: string) => string): string {
  const path = join(temp.dir, 'schema.prisma');
  const text = readFileSync(SCHEMA, 'utf8');
  const changed = edit(text);
  expect(changed).not.toBe(text);
  writeFileSync(path, changed);
  return path;
}

describe('the drift check', () => {
  it('finds the committed migrations in sync with schema.prisma', async () => {
    const sql = await diffMigrationsToSchema(SCHEMA, DEFAULT_MIGRATIONS_DIR);
    expect(sql.trim()).toBe(EMPTY_MIGRATION);
    expect(isEmptyMigration(sql)).toBe(true);
  });

  it('`migrate:check` exits 0 on the committed state', () => {
    const run = spawnSync(join(PACKAGE, 'node_modules', '.bin', 'tsx'), ['scripts/migrate-diff.ts', 'check'], {
      cwd: PACKAGE,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('in sync');
    expect(run.status).toBe(0);
  });

  it('reports the missing ALTER TABLE when a field is added to a copy of the schema', async () => {
    const schema = editedSchema((text) => text.replace('model Host {', 'model Host {\n  nickname String?'));
    const sql = await diffMigrationsToSchema(schema, DEFAULT_MIGRATIONS_DIR);
    expect(isEmptyMigration(sql)).toBe(false);
    expect(sql).toContain('ALTER TABLE "Host" ADD COLUMN "nickname" TEXT;');
  });

  it('reports a table redefinition when a column becomes required', async () => {
    const schema = editedSchema((text) => text.replace('virtualBoxVersion String?', 'virtualBoxVersion String'));
    const sql = await diffMigrationsToSchema(schema, DEFAULT_MIGRATIONS_DIR);
    expect(sql).toContain('CREATE TABLE "new_Host"');
    expect(sql).toContain('PRAGMA foreign_keys=OFF;');
  });

  it('finds no drift between schema.prisma and a database the runner migrated, as the engine introspects it', async () => {
    const db = join(temp.dir, 'vrs.db');
    migrateCatalog(db);
    expect((await diffDatabaseToSchema(SCHEMA, db)).trim()).toBe(EMPTY_MIGRATION);
  });

  it('sees the difference between schema.prisma and a database lacking a table', async () => {
    const db = join(temp.dir, 'vrs.db');
    migrateCatalog(db);
    const sqlite = new Database(db);
    sqlite.exec('DROP TABLE "AuditEntry"');
    sqlite.close();
    expect(await diffDatabaseToSchema(SCHEMA, db)).toContain('CREATE TABLE "AuditEntry"');
  });
});
