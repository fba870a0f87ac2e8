import { checkPaths } from './check-paths.js';
import { makeCommonFlags } from './common-flags.js';
import { escapePlaceholders } from './escape-placeholders.js';
import { invalidInput } from './invalid-input.js';
import { parseBorgJson } from './parse-borg-json.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** An archive of a repository listing. `start` is borg's local time without zone, e.g. `2026-01-31T12:00:00.000000`. */
export interface ArchiveSummary {
  name: string;
  id: string;
  start: string;
  comment: string;
}

/** An entry of an archive. `type` is borg's file type character: `-` file, `d` directory, `l` symlink, … */
export interface ArchiveFile {
  path: string;
  size: number;
  type: string;
}

/**
 * Takes a repository and an optional archive glob (borg's shell pattern, e.g. `vm-1234-*`); returns the argv of
 * `borg list --json` (pure). `--format {comment}` adds each archive's comment to the JSON (borg adds the keys a
 * format names). Throws INVALID_INPUT for a bad path or an empty glob.
 */
export function makeListArchivesArgv(repo: BorgRepo, o: { glob?: string } = {}): string[] {
  if (o.glob === '') throw invalidInput('the archive glob must not be empty');
  return [
    'list',
    ...makeCommonFlags(repo),
    '--json',
    '--format',
    '{comment}',
    ...(o.glob !== undefined ? ['--glob-archives', escapePlaceholders(o.glob)] : []),
    repoLocation(repo),
  ];
}

/**
 * Takes a repository and an optional archive glob; returns its archives, oldest first, with comments.
 * Throws BorgError (REPO_NOT_FOUND, REPO_LOCKED, …; see runBorg).
 */
export async function listArchives(repo: BorgRepo, o: { glob?: string } = {}): Promise<ArchiveSummary[]> {
  const run = await runBorg(makeListArchivesArgv(repo, o), { command: 'list', repo });
  const archives = parseBorgJson(run.stdout, 'list').archives;
  if (!Array.isArray(archives)) return [];
  return archives.map((entry: Record<string, unknown>) => ({
    name: String(entry.name ?? entry.archive ?? ''),
    id: String(entry.id ?? ''),
    start: String(entry.start ?? entry.time ?? ''),
    comment: typeof entry.comment === 'string' ? entry.comment : '',
  }));
}

/**
 * Takes a repository, an archive and optional paths (prefixes as archived); returns the argv of
 * `borg list --json-lines REPO::ARCHIVE [paths]` (pure). Throws INVALID_INPUT for a bad name or path.
 */
export function makeListFilesArgv(repo: BorgRepo, archive: string, o: { paths?: string[] } = {}): string[] {
  return ['list', ...makeCommonFlags(repo), '--json-lines', repoLocation(repo, archive), ...checkPaths(o.paths ?? [])];
}

/**
 * Takes a repository, an archive and optional paths; returns the archive's entries under those paths (all when
 * none; none when nothing matches). Throws BorgError SNAPSHOT_NOT_FOUND for a missing archive (see runBorg).
 */
export async function listArchiveFiles(
  repo: BorgRepo,
  archive: string,
  o: { paths?: string[] } = {},
): Promise<ArchiveFile[]> {
  const run = await runBorg(makeListFilesArgv(repo, archive, o), { command: 'list', repo });
  return run.stdout
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const entry = parseBorgJson(line, 'list');
      return { path: String(entry.path ?? ''), size: Number(entry.size ?? 0), type: String(entry.type ?? '') };
    });
}
