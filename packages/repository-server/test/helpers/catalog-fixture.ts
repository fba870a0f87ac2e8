import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenCatalog, openCatalog } from '../../src/index.js';

export const HOST_ID = '11111111-2222-4333-8444-555555555555';
export const VM_A = 'aaaaaaaa-0000-4000-8000-000000000001';
export const VM_B = 'bbbbbbbb-0000-4000-8000-000000000002';

/** Makes a temporary directory; returns it and a function removing it. */
export function makeTempDir(prefix = 'vrs-catalog-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a catalog in a fresh data directory; returns it with a cleanup that closes it and removes the directory. */
export async function makeCatalog(): Promise<OpenCatalog & { dir: string; cleanup: () => Promise<void> }> {
  const temp = makeTempDir('vrs-data-');
  const open = await openCatalog(temp.dir);
  return {
    ...open,
    dir: temp.dir,
    cleanup: async () => {
      await open.close();
      temp.remove();
    },
  };
}

/** Takes a directory and migrations (folder name → SQL); writes them as a Prisma migrations directory. Returns it. */
export function writeMigrations(dir: string, migrations: Record<string, string | Buffer>): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

/** A borg listing entry as listArchives returns it. */
export function listed(name: string, comment = ''): { name: string; id: string; start: string; comment: string } {
  return { name, id: '0'.repeat(64), start: '2026-11-28T01:00:00.000000', comment };
}
