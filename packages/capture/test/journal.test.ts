import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureJournal } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vrs-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the capture journal', () => {
  it('returns intents never marked done, survives a torn last line, and compacts', async () => {
    const journal = new CaptureJournal(join(dir, 'capture.journal'));
    const paused = await journal.intend('job-1', { kind: 'paused', vm: 'vm-1' });
    const clone = await journal.intend('job-1', { kind: 'clone', paths: ['/w/0-disk.vdi'], dir: '/w' });
    await journal.done(paused);
    appendFileSync(journal.path, '{"id":"torn","at":"2026-');
    expect(await journal.open()).toEqual([
      { id: clone, job: 'job-1', intent: { kind: 'clone', paths: ['/w/0-disk.vdi'], dir: '/w' } },
    ]);
    await journal.compact();
    expect(readFileSync(journal.path, 'utf8').trim().split('\n')).toHaveLength(1);
    await journal.done(clone);
    expect(await journal.open()).toEqual([]);
  });

  it('is empty when no capture ever ran', async () => {
    expect(await new CaptureJournal(join(dir, 'none', 'capture.journal')).open()).toEqual([]);
  });
});
