import { makeCommonFlags } from './common-flags.js';
import { escapePlaceholders } from './escape-placeholders.js';
import { invalidInput } from './invalid-input.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Options of {@link checkRepo}. */
export interface CheckOptions {
  /** Check only the repository's segments, not the archives. */
  repositoryOnly?: boolean;
  /** Also decrypt and verify every chunk of the checked archives (slow: reads all data). */
  verifyData?: boolean;
  /** Check only archives matching this borg shell pattern. */
  glob?: string;
  /** Check only the first / last N archives (one of them). */
  first?: number;
  last?: number;
}

/** The outcome of a check: `ok` false when borg found problems; `output` holds borg's log lines. */
export interface CheckResult {
  ok: boolean;
  output: string[];
}

const count = (name: string, value: number | undefined): string[] => {
  if (value === undefined) return [];
  if (!Number.isSafeInteger(value) || value < 1) throw invalidInput(`${name} must be a whole number ≥ 1`);
  return [`--${name}`, String(value)];
};

/**
 * Takes a repository and check options; returns the argv of `borg check` (pure). Throws INVALID_INPUT for
 * options borg refuses together (repositoryOnly with archive options, first with last) or a bad count.
 */
export function makeCheckArgv(repo: BorgRepo, o: CheckOptions = {}): string[] {
  const archiveOptions = o.verifyData || o.glob !== undefined || o.first !== undefined || o.last !== undefined;
  if (o.repositoryOnly && archiveOptions) {
    throw invalidInput('repositoryOnly cannot be combined with verifyData, glob, first or last');
  }
  if (o.first !== undefined && o.last !== undefined) throw invalidInput('give first or last, not both');
  if (o.glob === '') throw invalidInput('the archive glob must not be empty');
  return [
    'check',
    ...makeCommonFlags(repo),
    ...(o.repositoryOnly ? ['--repository-only'] : []),
    ...(o.verifyData ? ['--verify-data'] : []),
    ...(o.glob !== undefined ? ['--glob-archives', escapePlaceholders(o.glob)] : []),
    ...count('first', o.first),
    ...count('last', o.last),
    repoLocation(repo),
  ];
}

/**
 * Takes a repository and check options; checks it (never repairs) and returns ok and borg's lines. Problems
 * found (borg's warning exit) give `ok: false` rather than an error. Throws BorgError when borg cannot check
 * at all (REPO_NOT_FOUND, REPO_LOCKED, …; see runBorg).
 */
export async function checkRepo(repo: BorgRepo, o: CheckOptions = {}): Promise<CheckResult> {
  const run = await runBorg(makeCheckArgv(repo, o), { command: 'check', repo });
  return { ok: run.exitCode === 0, output: run.messages.map((m) => m.message) };
}
