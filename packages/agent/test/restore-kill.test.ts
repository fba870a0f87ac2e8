import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashPool, hashImage } from '@vrs/block-engine';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreDisk } from '../src/index.js';
import { fileSource, sha256, tempDir, writeVdi } from './helpers.js';

const CHILD = new URL('./fixtures/restore-child.mjs', import.meta.url).pathname;
const dir = tempDir();
const pool = new HashPool({ workers: 2 });
afterAll(() => pool.close());
const CHANGED = 24;

/** Runs the restore in a child and SIGKILLs it after `killAfterMs`; returns the positions it fetched. */
function killedRestore(snapshot: string, current: string, journal: string, killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CHILD, snapshot, current, journal, '00000000-0000-4000-8000-0000000000bb', '15'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const fetched: number[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const match = /^fetched (\d+)$/.exec(line);
        if (match) fetched.push(Number(match[1]));
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.on('error', reject);
    child.on('exit', () => resolve(fetched));
  });
}

describe('a restore killed with SIGKILL', () => {
  it.each([60, 150, 250, 350, 450])(
    'resumes after a kill at %i ms, byte-exact, re-sending at most the cell in flight',
    async (killAfterMs) => {
      const snapshot = join(dir, `${killAfterMs}-snapshot.vdi`);
      const current = join(dir, `${killAfterMs}-current.vdi`);
      await writeVdi(snapshot, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i, i + 1])));
      copyFileSync(snapshot, current);
      await writeVdi(current, Object.fromEntries(Array.from({ length: CHANGED }, (_, i) => [i, 1000 + i])), false);
      const journal = join(dir, `${killAfterMs}.journal`);
      const beforeKill = await killedRestore(snapshot, current, journal, killAfterMs);
      const { manifest } = await hashImage(snapshot, { pool });
      const source = fileSource(snapshot, manifest);
      const resumed = await restoreDisk({
        job: '00000000-0000-4000-8000-0000000000bb',
        path: current,
        target: manifest,
        journalPath: journal,
        source,
        pool,
      });
      expect(sha256(current)).toBe(sha256(snapshot));
      const needed = CHANGED + 1; // the changed blocks and the header cell
      const resent = beforeKill.length + resumed.fetched - needed;
      console.log(
        `kill at ${killAfterMs} ms: ${beforeKill.length} cells fetched before, ${resumed.fetched} after, ${resent} sent twice`,
      );
      expect(resent).toBeGreaterThanOrEqual(0);
      expect(resent).toBeLessThanOrEqual(1);
    },
  );
});
