import { BorgError } from './borg-error.js';
import { makeCommonFlags } from './common-flags.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/**
 * Takes a repository and an archive name; returns the argv of `borg delete REPO::ARCHIVE` (pure; never a
 * whole-repository delete). Throws INVALID_INPUT for a bad name.
 */
export function makeDeleteArgv(repo: BorgRepo, archive: string): string[] {
  return ['delete', ...makeCommonFlags(repo), repoLocation(repo, archive)];
}

/**
 * Takes a repository and an archive name; deletes the archive (space is freed by a later compactRepo).
 * Returns nothing. Throws BorgError SNAPSHOT_NOT_FOUND when it does not exist (borg only warns, exit 0),
 * else see runBorg.
 */
export async function deleteArchive(repo: BorgRepo, archive: string): Promise<void> {
  const run = await runBorg(makeDeleteArgv(repo, archive), { command: 'delete', repo });
  const notFound = run.messages.find((m) => m.levelname === 'WARNING' && /^Archive .* not found\b/.test(m.message));
  if (notFound) {
    throw new BorgError('SNAPSHOT_NOT_FOUND', `borg delete failed: ${notFound.message}`, {
      command: 'delete',
      exitCode: run.exitCode,
      stderrTail: run.stderrTail,
      argv: run.argv,
    });
  }
}
