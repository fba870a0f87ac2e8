import { invalidInput } from './invalid-input.js';
import { type BorgRepo, DEFAULT_LOCK_WAIT_SECONDS } from './repo.js';

/**
 * Takes a repository; returns the flags every repository command gets: `--log-json` (machine-readable stderr
 * with msgids) and `--lock-wait`. Throws INVALID_INPUT when `lockWaitSeconds` is not a whole number ≥ 0.
 */
export function makeCommonFlags(repo: BorgRepo): string[] {
  const lockWait = repo.lockWaitSeconds ?? DEFAULT_LOCK_WAIT_SECONDS;
  if (!Number.isSafeInteger(lockWait) || lockWait < 0) {
    throw invalidInput(`lockWaitSeconds must be a whole number of seconds, got ${lockWait}`);
  }
  return ['--log-json', '--lock-wait', String(lockWait)];
}
