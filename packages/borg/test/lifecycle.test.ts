import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BorgProgressEvent,
  checkRepo,
  compactRepo,
  createArchive,
  deleteArchive,
  exportKey,
  extractPaths,
  getArchiveInfo,
  getRepoInfo,
  initRepo,
  listArchiveFiles,
  listArchives,
  pruneArchives,
  renameArchive,
} from '../src/index.js';
import { loggedArgvs, makeTempDir, recordBorgLogs, repoIn } from './helpers/borg-fixture.js';

// One repository taken through its life by real borg; the tests run in order and build on each other.
const temp = makeTempDir();
const repo = repoIn(temp.dir, 'vm-1');
const source = join(temp.dir, 'mirror');
const logs = recordBorgLogs();
const BLOCK = 64 * 1024;
const DISK = randomBytes(3 * 1024 * 1024 + 12_345);
const NVRAM = randomBytes(200_000);

const create = (archive: string, extra: { comment?: string; onProgress?: (e: BorgProgressEvent) => void } = {}) =>
  createArchive(repo, {
    archive,
    paths: ['vm-1'],
    cwd: source,
    chunkerBlockSize: BLOCK,
    compression: 'zstd,3',
    filesCacheSuffix: 'vm-1',
    ...extra,
  });

beforeAll(() => {
  mkdirSync(join(source, 'vm-1'), { recursive: true });
  writeFileSync(join(source, 'vm-1', 'disk.vdi'), DISK);
  writeFileSync(join(source, 'vm-1', 'vm.nvram'), NVRAM);
  writeFileSync(join(source, 'vm-1', 'manifest.json'), '{"brace":"{now}"}\n');
});
afterAll(temp.remove);

describe('a repository through its life with real borg', () => {
  it('inits: a 0600 passphrase file that never shows in argv or logs', async () => {
    await initRepo(repo);
    expect(statSync(repo.passphraseFile).mode & 0o777).toBe(0o600);
    const passphrase = readFileSync(repo.passphraseFile, 'utf8').trim();
    expect(passphrase).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(existsSync(join(repo.path, 'config'))).toBe(true);
    expect(loggedArgvs(logs).at(-1)?.slice(0, 2)).toEqual(['borg', 'init']);
    expect(logs.join('\n')).not.toContain(passphrase);
    // borg's own config/keys/security dirs stay inside the base directory, not $HOME.
    expect(existsSync(join(repo.baseDir as string, '.config', 'borg', 'security'))).toBe(true);
  });

  it('refuses to init over an existing passphrase file, and leaves it as it was', async () => {
    const before = readFileSync(repo.passphraseFile, 'utf8');
    await expect(initRepo({ ...repo, path: join(temp.dir, 'repos', 'other') })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(readFileSync(repo.passphraseFile, 'utf8')).toBe(before);
  });

  it('refuses to init over an existing repository, and removes the passphrase file it made', async () => {
    const passphraseFile = join(temp.dir, 'secrets', 'second.passphrase');
    await expect(initRepo({ ...repo, passphraseFile })).rejects.toMatchObject({
      code: 'CONFLICT',
      msgid: 'Repository.AlreadyExists',
    });
    expect(existsSync(passphraseFile)).toBe(false);
  });

  it('creates an archive with the fixed chunker and reports progress while it runs', async () => {
    const events: BorgProgressEvent[] = [];
    const stats = await create('vm-1-a', { comment: 'before {upgrade}', onProgress: (e) => events.push(e) });
    expect(stats).toMatchObject({ archive: 'vm-1-a', nfiles: 3 });
    expect(stats.originalSize).toBeGreaterThanOrEqual(DISK.length + NVRAM.length);
    expect(stats.deduplicatedSize).toBeGreaterThan(DISK.length);
    expect(stats.durationSeconds).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'archive' && e.path.startsWith('vm-1'))).toBe(true);
    expect(events.some((e) => e.kind === 'message' && e.message.length > 0)).toBe(true);
    const repoId = readdirSync(repo.cacheDir as string).find((name) => /^[0-9a-f]{64}$/.test(name)) as string;
    expect(existsSync(join(repo.cacheDir as string, repoId, 'files.vm-1'))).toBe(true);
  });

  it('creates a second archive that dedups against the first', async () => {
    const stats = await create('vm-1-b');
    expect(stats.originalSize).toBeGreaterThanOrEqual(DISK.length + NVRAM.length);
    expect(stats.deduplicatedSize).toBeLessThan(BLOCK);
  });

  it('lists archives with id, start and comment (braces kept literally)', async () => {
    const archives = await listArchives(repo);
    expect(archives.map((a) => a.name)).toEqual(['vm-1-a', 'vm-1-b']);
    expect(archives[0]).toMatchObject({ comment: 'before {upgrade}', id: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(archives[0]?.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(archives[1]?.comment).toBe('');
  });

  it('lists only the archives matching a glob', async () => {
    expect((await listArchives(repo, { glob: '*-b' })).map((a) => a.name)).toEqual(['vm-1-b']);
    expect(await listArchives(repo, { glob: 'vm-2-*' })).toEqual([]);
  });

  it('lists the files of an archive, all or under a path', async () => {
    const files = await listArchiveFiles(repo, 'vm-1-a');
    expect(files).toContainEqual({ path: 'vm-1/disk.vdi', size: DISK.length, type: '-' });
    expect(files).toContainEqual({ path: 'vm-1', size: 0, type: 'd' });
    expect(await listArchiveFiles(repo, 'vm-1-a', { paths: ['vm-1/vm.nvram'] })).toEqual([
      { path: 'vm-1/vm.nvram', size: NVRAM.length, type: '-' },
    ]);
  });

  it('tells archive info', async () => {
    const info = await getArchiveInfo(repo, 'vm-1-a');
    expect(info).toMatchObject({ name: 'vm-1-a', comment: 'before {upgrade}' });
    expect(info.stats.nfiles).toBe(3);
    expect(info.stats.originalSize).toBeGreaterThanOrEqual(DISK.length + NVRAM.length);
  });

  it('tells repository info', async () => {
    const info = await getRepoInfo(repo);
    expect(info.id).toMatch(/^[0-9a-f]{64}$/);
    expect(info.location).toBe(repo.path);
    expect(info.stats.totalSize).toBeGreaterThanOrEqual(2 * DISK.length);
    expect(info.stats.uniqueCsize).toBeLessThan(info.stats.totalCsize);
    expect(info.stats.totalUniqueChunks).toBeLessThan(info.stats.totalChunks);
  });

  it('dry-runs a prune: lists what it would prune and deletes nothing', async () => {
    expect(await pruneArchives(repo, { glob: 'vm-1-*', hourly: 1, dryRun: true })).toEqual({
      kept: ['vm-1-b'],
      pruned: ['vm-1-a'],
    });
    expect(await listArchives(repo)).toHaveLength(2);
  });

  it('keeps everything within the keep-within interval', async () => {
    expect(await pruneArchives(repo, { glob: 'vm-1-*', keepWithin: '1d', dryRun: true })).toEqual({
      kept: ['vm-1-b', 'vm-1-a'],
      pruned: [],
    });
  });

  it('refuses a prune with no keep rule before borg runs', async () => {
    await expect(pruneArchives(repo, { glob: 'vm-1-*', keepWithin: null })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('extracts selected paths into a directory, byte for byte', async () => {
    const dest = join(temp.dir, 'restore');
    const events: BorgProgressEvent[] = [];
    await extractPaths(repo, 'vm-1-a', { paths: ['vm-1/disk.vdi'], dest, onProgress: (e) => events.push(e) });
    expect(readFileSync(join(dest, 'vm-1', 'disk.vdi')).equals(DISK)).toBe(true);
    expect(existsSync(join(dest, 'vm-1', 'vm.nvram'))).toBe(false);
    expect(loggedArgvs(logs).at(-1)).toContain('vm-1/disk.vdi');
  });

  it('refuses to extract a path the archive does not hold', async () => {
    await expect(
      extractPaths(repo, 'vm-1-a', { paths: ['vm-1/missing.vdi'], dest: join(temp.dir, 'restore-2') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('vm-1/missing.vdi') });
  });

  it('renames an archive', async () => {
    await renameArchive(repo, 'vm-1-b', 'vm-1-kept');
    expect((await listArchives(repo)).map((a) => a.name)).toEqual(['vm-1-a', 'vm-1-kept']);
  });

  it('prunes for real and compacts', async () => {
    await create('vm-1-c');
    expect(await pruneArchives(repo, { glob: 'vm-1-?', hourly: 1 })).toEqual({ kept: ['vm-1-c'], pruned: ['vm-1-a'] });
    await compactRepo(repo);
    expect((await listArchives(repo)).map((a) => a.name)).toEqual(['vm-1-kept', 'vm-1-c']);
  });

  it('deletes an archive, and says SNAPSHOT_NOT_FOUND for one that is gone', async () => {
    await deleteArchive(repo, 'vm-1-c');
    expect((await listArchives(repo)).map((a) => a.name)).toEqual(['vm-1-kept']);
    await expect(deleteArchive(repo, 'vm-1-c')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
  });

  it('says SNAPSHOT_NOT_FOUND for info, rename and listing of a missing archive', async () => {
    await expect(getArchiveInfo(repo, 'vm-1-zz')).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
      msgid: 'Archive.DoesNotExist',
    });
    await expect(renameArchive(repo, 'vm-1-zz', 'vm-1-yy')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await expect(listArchiveFiles(repo, 'vm-1-zz')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
  });

  it('says CONFLICT for an archive name that exists', async () => {
    await expect(create('vm-1-kept')).rejects.toMatchObject({ code: 'CONFLICT', msgid: 'Archive.AlreadyExists' });
  });

  it('checks the repository only', async () => {
    expect(await checkRepo(repo, { repositoryOnly: true })).toEqual({ ok: true, output: [] });
  });

  it('checks with verify-data', async () => {
    const result = await checkRepo(repo, { verifyData: true, last: 1 });
    expect(result.ok).toBe(true);
  });

  it('exports the key', async () => {
    const key = await exportKey(repo);
    const { id } = await getRepoInfo(repo);
    expect(key.startsWith(`BORG_KEY ${id}\n`)).toBe(true);
    expect(key.length).toBeGreaterThan(200);
  });

  it('logged every argv, none holding the passphrase', () => {
    const passphrase = readFileSync(repo.passphraseFile, 'utf8').trim();
    const argvs = loggedArgvs(logs);
    expect(argvs.map((argv) => argv[1])).toEqual(
      expect.arrayContaining([
        'init',
        'create',
        'list',
        'info',
        'prune',
        'extract',
        'rename',
        'compact',
        'delete',
        'check',
        'key',
      ]),
    );
    expect(JSON.stringify(argvs)).not.toContain(passphrase);
    expect(logs.join('\n')).not.toContain(passphrase);
  });
});
