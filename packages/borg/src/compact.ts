import { makeCommonFlags } from './common-flags.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Takes a repository; returns the argv of `borg compact` (pure). Throws INVALID_INPUT for a bad path. */
export function makeCompactArgv(repo: BorgRepo): string[] {
  return ['compact', ...makeCommonFlags(repo), repoLocation(repo)];
}

/**
 * Takes a repository; frees the space of deleted and pruned archives (borg ≥ 1.2 frees nothing before this).
 * Returns nothing. Throws BorgError (see runBorg).
 */
export async function compactRepo(repo: BorgRepo): Promise<void> {
  await runBorg(makeCompactArgv(repo), { command: 'compact', repo });
}
