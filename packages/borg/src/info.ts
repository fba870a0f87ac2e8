import { BorgError } from './borg-error.js';
import { makeCommonFlags } from './common-flags.js';
import { parseBorgJson } from './parse-borg-json.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** `borg info` of one archive. `deduplicatedSize` is what deleting the archive alone would free now. */
export interface ArchiveInfo {
  name: string;
  comment: string;
  start: string;
  stats: { originalSize: number; compressedSize: number; deduplicatedSize: number; nfiles: number };
}

/** `borg info` of a repository: sizes over all archives (`uniqueCsize` is what the repository holds). */
export interface RepoInfo {
  id: string;
  location: string;
  stats: { totalSize: number; totalCsize: number; uniqueCsize: number; totalChunks: number; totalUniqueChunks: number };
}

/**
 * Takes a repository and optionally an archive; returns the argv of `borg info --json` for the archive, or for
 * the repository when none is given (pure). Throws INVALID_INPUT for a bad path or name.
 */
export function makeInfoArgv(repo: BorgRepo, archive?: string): string[] {
  return ['info', ...makeCommonFlags(repo), '--json', repoLocation(repo, archive)];
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * Takes a repository and an archive name; returns the archive's info. Throws BorgError SNAPSHOT_NOT_FOUND
 * when it does not exist (see runBorg for the rest).
 */
export async function getArchiveInfo(repo: BorgRepo, archive: string): Promise<ArchiveInfo> {
  const run = await runBorg(makeInfoArgv(repo, archive), { command: 'info', repo });
  const archives = parseBorgJson(run.stdout, 'info').archives;
  const entry = Array.isArray(archives) ? record(archives[0]) : undefined;
  if (!entry) throw new BorgError('BORG_FAILED', `borg info printed no archive for ${archive}`, { command: 'info' });
  const stats = record(entry.stats);
  return {
    name: String(entry.name ?? archive),
    comment: typeof entry.comment === 'string' ? entry.comment : '',
    start: String(entry.start ?? ''),
    stats: {
      originalSize: Number(stats.original_size ?? 0),
      compressedSize: Number(stats.compressed_size ?? 0),
      deduplicatedSize: Number(stats.deduplicated_size ?? 0),
      nfiles: Number(stats.nfiles ?? 0),
    },
  };
}

/** Takes a repository; returns its id, location and size totals. Throws BorgError (see runBorg). */
export async function getRepoInfo(repo: BorgRepo): Promise<RepoInfo> {
  const run = await runBorg(makeInfoArgv(repo), { command: 'info', repo });
  const json = parseBorgJson(run.stdout, 'info');
  const repository = record(json.repository);
  const stats = record(record(json.cache).stats);
  return {
    id: String(repository.id ?? ''),
    location: String(repository.location ?? repo.path),
    stats: {
      totalSize: Number(stats.total_size ?? 0),
      totalCsize: Number(stats.total_csize ?? 0),
      uniqueCsize: Number(stats.unique_csize ?? 0),
      totalChunks: Number(stats.total_chunks ?? 0),
      totalUniqueChunks: Number(stats.total_unique_chunks ?? 0),
    },
  };
}
