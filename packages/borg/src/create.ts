import { checkPaths } from './check-paths.js';
import { makeCommonFlags } from './common-flags.js';
import { escapePlaceholders } from './escape-placeholders.js';
import { invalidInput } from './invalid-input.js';
import { parseBorgJson } from './parse-borg-json.js';
import type { BorgProgressEvent } from './progress.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Options of {@link createArchive}. */
export interface CreateOptions {
  archive: string;
  /** Stored with the archive; braces are kept literally. */
  comment?: string;
  /** What to archive, relative to `cwd` (archived as given). */
  paths: string[];
  cwd: string;
  /** Block size of borg's fixed chunker (`--chunker-params fixed,SIZE`): the disk grid, ≥ 64. */
  chunkerBlockSize: number;
  /** borg's `--compression`; default `lz4`, e.g. `zstd,3`. */
  compression?: string;
  /**
   * The archive's time (`--timestamp`, UTC, to the second): the capture time, so that retention (`borg prune`
   * buckets archives by this time) counts snapshots by when they were taken, not when they were archived.
   */
  timestamp?: Date;
  /** `BORG_FILES_CACHE_SUFFIX`: one files cache per source (e.g. per VM), so sources never evict each other. */
  filesCacheSuffix?: string;
  onProgress?: (event: BorgProgressEvent) => void;
  signal?: AbortSignal;
}

/** What `borg create --json` reports about the new archive. */
export interface CreateStats {
  archive: string;
  originalSize: number;
  compressedSize: number;
  deduplicatedSize: number;
  nfiles: number;
  durationSeconds: number;
}

/**
 * Takes a repository and create options; returns the argv of `borg create` (pure). Throws INVALID_INPUT for a
 * bad archive name, path, block size or compression, or no paths.
 */
export function makeCreateArgv(repo: BorgRepo, o: CreateOptions): string[] {
  if (!Number.isSafeInteger(o.chunkerBlockSize) || o.chunkerBlockSize < 64) {
    throw invalidInput(`chunkerBlockSize must be a whole number ≥ 64, got ${o.chunkerBlockSize}`);
  }
  const compression = o.compression ?? 'lz4';
  if (!/^[a-z0-9][a-z0-9,.-]*$/.test(compression))
    throw invalidInput(`invalid compression ${JSON.stringify(compression)}`);
  if (o.paths.length === 0) throw invalidInput('borg create needs at least one path');
  return [
    'create',
    ...makeCommonFlags(repo),
    '--json',
    '--progress',
    '--chunker-params',
    `fixed,${o.chunkerBlockSize}`,
    '--compression',
    compression,
    ...(o.comment !== undefined ? ['--comment', escapePlaceholders(o.comment)] : []),
    ...(o.timestamp !== undefined ? ['--timestamp', borgTimestamp(o.timestamp)] : []),
    repoLocation(repo, o.archive),
    ...checkPaths(o.paths),
  ];
}

/** Takes a time; returns it as `--timestamp` takes it: `yyyy-mm-ddThh:mm:ss`, UTC. Throws INVALID_INPUT for an invalid date. */
export function borgTimestamp(at: Date): string {
  if (Number.isNaN(at.getTime())) throw invalidInput('the archive timestamp is not a valid date');
  return at.toISOString().slice(0, 19);
}

/**
 * Takes create options; returns the extra environment of `borg create` (pure): `BORG_FILES_CACHE_SUFFIX` when
 * set. Throws INVALID_INPUT for a suffix that is not a plain file-name part.
 */
export function makeCreateEnv(o: Pick<CreateOptions, 'filesCacheSuffix'>): Record<string, string> {
  if (o.filesCacheSuffix === undefined) return {};
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(o.filesCacheSuffix)) {
    throw invalidInput(`invalid filesCacheSuffix ${JSON.stringify(o.filesCacheSuffix)}`);
  }
  return { BORG_FILES_CACHE_SUFFIX: o.filesCacheSuffix };
}

/**
 * Takes a repository and create options; archives `paths` (relative to `cwd`) with the fixed chunker and
 * returns the new archive's stats. A warning exit (e.g. a file changed while read) still returns; the warnings
 * are logged. Throws BorgError (CONFLICT when the archive exists, JOB_CANCELLED, …; see runBorg).
 */
export async function createArchive(repo: BorgRepo, o: CreateOptions): Promise<CreateStats> {
  const argv = makeCreateArgv(repo, o);
  const run = await runBorg(argv, {
    command: 'create',
    repo,
    cwd: o.cwd,
    env: makeCreateEnv(o),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const archive = parseBorgJson(run.stdout, 'create').archive as Record<string, unknown> | undefined;
  const stats = (archive?.stats ?? {}) as Record<string, unknown>;
  return {
    archive: String(archive?.name ?? o.archive),
    originalSize: Number(stats.original_size ?? 0),
    compressedSize: Number(stats.compressed_size ?? 0),
    deduplicatedSize: Number(stats.deduplicated_size ?? 0),
    nfiles: Number(stats.nfiles ?? 0),
    durationSeconds: Number(archive?.duration ?? 0),
  };
}
