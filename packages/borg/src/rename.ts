import { checkArchiveName } from './check-archive-name.js';
import { makeCommonFlags } from './common-flags.js';
import { escapePlaceholders } from './escape-placeholders.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Takes a repository and two archive names; returns the argv of `borg rename` (pure). Throws INVALID_INPUT for a bad name. */
export function makeRenameArgv(repo: BorgRepo, from: string, to: string): string[] {
  return ['rename', ...makeCommonFlags(repo), repoLocation(repo, from), escapePlaceholders(checkArchiveName(to))];
}

/**
 * Takes a repository and two archive names; renames the archive. Returns nothing. Throws BorgError
 * SNAPSHOT_NOT_FOUND when `from` is missing, CONFLICT when `to` exists (see runBorg).
 */
export async function renameArchive(repo: BorgRepo, from: string, to: string): Promise<void> {
  await runBorg(makeRenameArgv(repo, from, to), { command: 'rename', repo });
}
