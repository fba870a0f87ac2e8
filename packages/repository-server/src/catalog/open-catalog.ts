import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { PrismaClient } from './generated/prisma/client.js';
import { migrateCatalog } from './migrate.js';

/** The catalog's Prisma client (generated from prisma/schema.prisma). */
export type Catalog = PrismaClient;

/** How long a connection waits for another writer's lock before SQLITE_BUSY (better-sqlite3's `timeout`). */
export const CATALOG_BUSY_TIMEOUT_MS = 10_000;

/** An open catalog: the client, the migrations this start applied, and `close` to disconnect. */
export interface OpenCatalog {
  catalog: Catalog;
  /** Names of the migrations applied while opening (empty when the catalog was up to date). */
  applied: string[];
  close: () => Promise<void>;
}

/**
 * Takes the server's data directory (created when missing); migrates `<data>/vrs.db` (see migrateCatalog),
 * switches it to WAL journaling, and returns a Prisma client on it through the better-sqlite3 driver adapter,
 * with a busy timeout. Throws CatalogError when the migrations cannot be applied, or better-sqlite3's
 * SqliteError when the file cannot be opened.
 */
export async function openCatalog(dataDir: string, options: { migrationsDir?: string } = {}): Promise<OpenCatalog> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'vrs.db');
  // WAL is a property of the database file: set once here, every later connection uses it.
  const db = new Database(path, { timeout: CATALOG_BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  const { applied } = migrateCatalog(path, options);
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: CATALOG_BUSY_TIMEOUT_MS });
  const catalog = new PrismaClient({ adapter });
  await catalog.$connect();
  return { catalog, applied, close: () => catalog.$disconnect() };
}
