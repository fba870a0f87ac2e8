import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary directory (prefix `label`) removed after the file's tests. */
export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vrs-agent-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
