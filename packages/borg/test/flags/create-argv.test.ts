import { describe, expect, it } from 'vitest';
import { type CreateOptions, makeCreateArgv, makeCreateEnv } from '../../src/index.js';
import { COMMON, codeOf, repo } from './fixture.js';

const base: CreateOptions = { archive: 'vm-1-1', paths: ['vm-1'], cwd: '/srv/mirror', chunkerBlockSize: 1048576 };

describe('makeCreateArgv', () => {
  it('builds the minimal create with JSON stats, progress, fixed chunker and lz4', () => {
    expect(makeCreateArgv(repo, base)).toEqual([
      'create',
      ...COMMON,
      '--json',
      '--progress',
      '--chunker-params',
      'fixed,1048576',
      '--compression',
      'lz4',
      '/srv/vrs/repos/vm-1::vm-1-1',
      'vm-1',
    ]);
  });

  it('passes chunkerBlockSize as the fixed chunker block size', () => {
    expect(makeCreateArgv(repo, { ...base, chunkerBlockSize: 65536 })).toContain('fixed,65536');
  });

  it('passes compression as --compression', () => {
    const argv = makeCreateArgv(repo, { ...base, compression: 'zstd,3' });
    expect(argv.slice(argv.indexOf('--compression'), argv.indexOf('--compression') + 2)).toEqual([
      '--compression',
      'zstd,3',
    ]);
  });

  it('passes comment as --comment before the location, braces doubled', () => {
    const argv = makeCreateArgv(repo, { ...base, comment: 'before {upgrade}' });
    expect(argv.slice(-4)).toEqual(['--comment', 'before {{upgrade}}', '/srv/vrs/repos/vm-1::vm-1-1', 'vm-1']);
  });

  it('passes timestamp as --timestamp in UTC to the second, before the location', () => {
    const argv = makeCreateArgv(repo, { ...base, timestamp: new Date('2026-11-30T22:15:09.750Z') });
    expect(argv.slice(-4)).toEqual(['--timestamp', '2026-11-30T22:15:09', '/srv/vrs/repos/vm-1::vm-1-1', 'vm-1']);
  });

  it('refuses an invalid timestamp', () => {
    expect(codeOf(() => makeCreateArgv(repo, { ...base, timestamp: new Date(Number.NaN) }))).toBe('INVALID_INPUT');
  });

  it('passes an empty comment', () => {
    expect(makeCreateArgv(repo, { ...base, comment: '' })).toContain('--comment');
  });

  it('appends the paths in order after the location', () => {
    const argv = makeCreateArgv(repo, { ...base, paths: ['vm-1/disk.vdi', 'vm-1/manifest.json'] });
    expect(argv.slice(-3)).toEqual(['/srv/vrs/repos/vm-1::vm-1-1', 'vm-1/disk.vdi', 'vm-1/manifest.json']);
  });

  it('passes the lock wait of the repository', () => {
    expect(makeCreateArgv({ ...repo, lockWaitSeconds: 7 }, base).slice(1, 4)).toEqual([
      '--log-json',
      '--lock-wait',
      '7',
    ]);
  });

  it('refuses a block size below 64 or not whole', () => {
    expect(codeOf(() => makeCreateArgv(repo, { ...base, chunkerBlockSize: 63 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => makeCreateArgv(repo, { ...base, chunkerBlockSize: 4096.5 }))).toBe('INVALID_INPUT');
  });

  it('refuses no paths', () => {
    expect(codeOf(() => makeCreateArgv(repo, { ...base, paths: [] }))).toBe('INVALID_INPUT');
  });

  it('refuses a path that looks like an option', () => {
    expect(codeOf(() => makeCreateArgv(repo, { ...base, paths: ['--list'] }))).toBe('INVALID_INPUT');
  });

  it('refuses a compression spec that is not one word', () => {
    expect(codeOf(() => makeCreateArgv(repo, { ...base, compression: '--x' }))).toBe('INVALID_INPUT');
    expect(codeOf(() => makeCreateArgv(repo, { ...base, compression: 'lz4 x' }))).toBe('INVALID_INPUT');
  });

  it('refuses a bad archive name', () => {
    expect(codeOf(() => makeCreateArgv(repo, { ...base, archive: 'a/b' }))).toBe('INVALID_INPUT');
  });
});

describe('makeCreateEnv', () => {
  it('sets BORG_FILES_CACHE_SUFFIX from filesCacheSuffix', () => {
    expect(makeCreateEnv({ filesCacheSuffix: 'vm-1' })).toEqual({ BORG_FILES_CACHE_SUFFIX: 'vm-1' });
  });

  it('sets nothing without a suffix', () => {
    expect(makeCreateEnv({})).toEqual({});
  });

  it('refuses a suffix that is not a plain file-name part', () => {
    expect(codeOf(() => makeCreateEnv({ filesCacheSuffix: '../x' }))).toBe('INVALID_INPUT');
  });
});
