import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeManifest } from '@vrs/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { MirrorStore } from '../src/index.js';
import {
  DISK,
  type DiskState,
  expectedState,
  manifestOf,
  mirrorState,
  stageMissing,
  VM,
} from './helpers/mirror-fixtures.js';

const CHILD = new URL('./fixtures/commit-child.mjs', import.meta.url).pathname;
const TRIALS = 50;
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

// Old: 300 cells. New: 100 changed, 50 moved (copied within the mirror), 30 zeroed, 20 cut off the end.
const OLD: DiskState = { labels: Array.from({ length: 300 }, (_, i) => (i % 10 === 9 ? 0 : i + 1)) };
const NEW: DiskState = {
  labels: OLD.labels.slice(0, 280).map((label, i) => {
    if (i < 100) return 10_000 + i;
    if (i < 150) return (OLD.labels[i + 50] as number) || 20_000 + i;
    if (i < 180) return 0;
    return label;
  }),
};

const SESSION = '00000000-0000-4000-9000-000000000001';
let template: string | undefined;

/** A fresh mirror holding OLD, with NEW's blocks staged in SESSION (built once, then copied per trial). */
async function prepare(): Promise<{ store: MirrorStore; session: string }> {
  if (template === undefined) {
    template = mkdtempSync(join(tmpdir(), 'vrs-kill-template-'));
    roots.push(template);
    const store = new MirrorStore(template);
    const first = store.session(VM, '00000000-0000-4000-8000-000000000001');
    await stageMissing(first, OLD, null);
    await store.commit(VM, first, [{ uuid: DISK, manifest: manifestOf(OLD) }], {});
    await stageMissing(store.session(VM, SESSION), NEW, OLD);
  }
  const root = mkdtempSync(join(tmpdir(), 'vrs-kill-'));
  roots.push(root);
  cpSync(template, root, { recursive: true });
  return { store: new MirrorStore(root), session: SESSION };
}

/** Runs the commit in a child; kills it `killAfterMs` after it says ready (never, when null). Returns the run time. */
function runChild(store: MirrorStore, session: string, killAfterMs: number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CHILD, store.root, VM, session, Buffer.from(encodeManifest(manifestOf(NEW))).toString('hex'), DISK],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let started = 0n;
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready') && started === 0n) {
        started = process.hrtime.bigint();
        if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });
}

describe('a commit killed at any instant', () => {
  it(`leaves exactly the old or exactly the new mirror after recovery (${TRIALS} SIGKILLs)`, async () => {
    const old = expectedState(manifestOf(OLD));
    const next = expectedState(manifestOf(NEW));
    const calibration = await prepare();
    const duration = await runChild(calibration.store, calibration.session, null);
    expect(await mirrorState(calibration.store)).toEqual(next);

    const outcomes = { old: 0, new: 0 };
    for (let trial = 1; trial <= TRIALS; trial++) {
      const { store, session } = await prepare();
      await runChild(store, session, Math.random() * duration * 1.2);
      await new MirrorStore(store.root).recover();
      const state = await mirrorState(store);
      if (JSON.stringify(state) === JSON.stringify(old)) outcomes.old++;
      else {
        expect(state).toEqual(next);
        outcomes.new++;
      }
    }
    console.log(
      `commit ran ${duration.toFixed(0)} ms unkilled; after ${TRIALS} kills: ${outcomes.old} old, ${outcomes.new} new`,
    );
    // The kills must have landed on both sides of the commit point for the test to mean anything.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
    expect(outcomes.old + outcomes.new).toBe(TRIALS);
  }, 300_000);
});
