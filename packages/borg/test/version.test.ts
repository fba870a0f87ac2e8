import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BORG_FEATURES,
  BorgError,
  type BorgVersion,
  getBorgVersion,
  hasFeature,
  initRepo,
  parseBorgVersion,
  setBorgBinary,
} from '../src/index.js';
import { makeTempDir, recordBorgLogs, repoIn } from './helpers/borg-fixture.js';

const temp = makeTempDir();
afterAll(temp.remove);
recordBorgLogs();

/** Writes a shell script standing in for borg that prints `output`; returns its path. */
function fakeBorg(name: string, output: string, exitCode = 0): string {
  const file = join(temp.dir, name);
  writeFileSync(file, `#!/bin/sh\necho '${output}'\nexit ${exitCode}\n`, { mode: 0o755 });
  return file;
}

const v = (major: number, minor: number, patch: number): BorgVersion => ({ major, minor, patch, text: '' });

describe('parseBorgVersion', () => {
  it('reads borg 1.2.4', () => {
    expect(parseBorgVersion('borg 1.2.4\n')).toEqual({ major: 1, minor: 2, patch: 4, text: 'borg 1.2.4' });
  });

  it('reads a standalone binary name and a pre-release', () => {
    expect(parseBorgVersion('borg-linux64 1.4.0')).toMatchObject({ major: 1, minor: 4, patch: 0 });
    expect(parseBorgVersion('borg 1.2.0rc1')).toMatchObject({ major: 1, minor: 2, patch: 0 });
  });

  it('returns undefined for output naming no version', () => {
    expect(parseBorgVersion('command not found')).toBeUndefined();
  });
});

describe('hasFeature', () => {
  it('has the fixed chunker and compact from 1.2.0 on', () => {
    expect(hasFeature(v(1, 2, 0), 'fixed-chunker')).toBe(true);
    expect(hasFeature(v(1, 1, 18), 'fixed-chunker')).toBe(false);
    expect(hasFeature(v(1, 1, 18), 'compact')).toBe(false);
  });

  it('has modern exit codes only from 1.4.0 on', () => {
    expect(hasFeature(v(1, 2, 4), 'modern-exit-codes')).toBe(false);
    expect(hasFeature(v(1, 4, 0), 'modern-exit-codes')).toBe(true);
  });

  it('finds every feature in borg 1.4', () => {
    for (const feature of Object.keys(BORG_FEATURES) as (keyof typeof BORG_FEATURES)[]) {
      expect(hasFeature(v(1, 4, 1), feature), feature).toBe(true);
    }
  });
});

describe('getBorgVersion', () => {
  it('reads the installed borg', async () => {
    const version = await getBorgVersion();
    expect(version.major).toBe(1);
    expect(version.minor).toBeGreaterThanOrEqual(2);
    expect(version.text).toMatch(/^borg 1\.\d+\.\d+/);
  });

  it('refuses borg 1.1.17 with BORG_VERSION', async () => {
    const error = await getBorgVersion({ binary: fakeBorg('borg-old', 'borg 1.1.17') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BorgError);
    expect(error).toMatchObject({ code: 'BORG_VERSION' });
    expect((error as BorgError).message).toMatch(/borg 1\.1\.17 is not supported: vrs needs borg 1\.2 or newer/);
  });

  it('refuses borg 2 with BORG_VERSION', async () => {
    await expect(getBorgVersion({ binary: fakeBorg('borg-two', 'borg 2.0.0b14') })).rejects.toMatchObject({
      code: 'BORG_VERSION',
    });
  });

  it('refuses a missing borg with BORG_VERSION', async () => {
    const missing = join(temp.dir, 'no-such-borg');
    expect(existsSync(missing)).toBe(false);
    await expect(getBorgVersion({ binary: missing })).rejects.toMatchObject({
      code: 'BORG_VERSION',
      message: expect.stringMatching(/borg not found/),
    });
  });

  it('refuses a borg whose --version fails', async () => {
    await expect(getBorgVersion({ binary: fakeBorg('borg-broken', 'oops', 3) })).rejects.toMatchObject({
      code: 'BORG_VERSION',
      exitCode: 3,
    });
  });

  it('stops every command before it runs when the configured borg is too old', async () => {
    setBorgBinary(fakeBorg('borg-old-2', 'borg 1.1.17'));
    try {
      const repo = repoIn(temp.dir, 'never');
      await expect(initRepo(repo)).rejects.toMatchObject({ code: 'BORG_VERSION' });
      expect(existsSync(repo.passphraseFile)).toBe(false);
      expect(existsSync(repo.path)).toBe(false);
    } finally {
      setBorgBinary('borg');
    }
  });
});
