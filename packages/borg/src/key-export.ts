import { makeCommonFlags } from './common-flags.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Takes a repository; returns the argv of `borg key export REPO -` (pure: `-` is stdout). Throws INVALID_INPUT for a bad path. */
export function makeKeyExportArgv(repo: BorgRepo): string[] {
  return ['key', 'export', ...makeCommonFlags(repo), repoLocation(repo), '-'];
}

/**
 * Takes a repository; returns its key export (the `BORG_KEY <id>` text; useless without the passphrase, and
 * the passphrase useless without it). Throws BorgError (see runBorg).
 */
export async function exportKey(repo: BorgRepo): Promise<string> {
  const run = await runBorg(makeKeyExportArgv(repo), { command: 'key export', repo });
  return run.stdout;
}
