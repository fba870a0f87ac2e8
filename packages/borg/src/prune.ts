import { KeepWithin } from '@vrs/protocol';
import { makeCommonFlags } from './common-flags.js';
import { escapePlaceholders } from './escape-placeholders.js';
import { invalidInput } from './invalid-input.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Options of {@link pruneArchives}: which archives (`glob`) and the keep rules; a count of 0 means unused. */
export interface PruneOptions {
  /** Archives to consider (borg shell pattern, e.g. `vm-1234-*`); others are never touched. */
  glob: string;
  /** `--keep-within`, e.g. `2H`, `7d` (H, d, w, m, y). */
  keepWithin?: string | null;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
  /** Only report: `pruned` then lists what would be pruned. */
  dryRun?: boolean;
}

/** The outcome of a prune: archive names kept, and pruned (or, in a dry run, that would be pruned). */
export interface PruneResult {
  kept: string[];
  pruned: string[];
}

const COUNT_RULES = [
  ['hourly', '--keep-hourly'],
  ['daily', '--keep-daily'],
  ['weekly', '--keep-weekly'],
  ['monthly', '--keep-monthly'],
  ['yearly', '--keep-yearly'],
] as const;

/**
 * Takes a repository and prune options; returns the argv of `borg prune --list` (pure). Throws INVALID_INPUT
 * for an empty glob, a bad keep-within or count, or no keep rule at all (borg would delete every match).
 */
export function makePruneArgv(repo: BorgRepo, o: PruneOptions): string[] {
  if (o.glob.length === 0) throw invalidInput('prune needs a non-empty archive glob');
  if (o.keepWithin != null && !KeepWithin.safeParse(o.keepWithin).success) {
    throw invalidInput(`invalid keepWithin ${JSON.stringify(o.keepWithin)}: expected e.g. 2H, 7d, 3w, 6m or 1y`);
  }
  const counts: string[] = [];
  for (const [key, flag] of COUNT_RULES) {
    const count = o[key] ?? 0;
    if (!Number.isSafeInteger(count) || count < 0) throw invalidInput(`${key} must be a whole number ≥ 0`);
    if (count > 0) counts.push(flag, String(count));
  }
  if (o.keepWithin == null && counts.length === 0) {
    throw invalidInput('prune refused: no keep rule given, borg would delete every archive matching the glob');
  }
  return [
    'prune',
    ...makeCommonFlags(repo),
    '--list',
    ...(o.dryRun ? ['--dry-run'] : []),
    '--glob-archives',
    escapePlaceholders(o.glob),
    ...(o.keepWithin != null ? ['--keep-within', o.keepWithin] : []),
    ...counts,
    repoLocation(repo),
  ];
}

// "<action, padded to 40> <name, padded to 36> <Www, YYYY-MM-DD HH:MM:SS> [<id>]" (borg's format_archive).
const LIST_LINE =
  /^(Keeping archive \(rule: [^)]*\):|Keeping checkpoint archive:|Would prune:|Pruning archive \(\d+\/\d+\):)\s+(.+?)\s+\S+, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[[0-9a-f]+\]\s*$/;

/**
 * Takes one line of `borg prune --list` (e.g. `Would prune:  vm-1  Sat, 2026-11-28 04:15:35 [e9e7…]`); returns
 * whether it keeps or prunes which archive, or undefined for any other line. Never throws.
 */
export function parsePruneListLine(line: string): { action: 'keep' | 'prune'; name: string } | undefined {
  const m = LIST_LINE.exec(line);
  if (!m?.[1] || m[2] === undefined) return undefined;
  return { action: m[1].startsWith('Keeping') ? 'keep' : 'prune', name: m[2] };
}

/**
 * Takes a repository and prune options; prunes (or, with dryRun, only lists) the matching archives and returns
 * the names kept and pruned. Space is freed only by a later compactRepo. Throws INVALID_INPUT as
 * {@link makePruneArgv}, else BorgError (see runBorg).
 */
export async function pruneArchives(repo: BorgRepo, o: PruneOptions): Promise<PruneResult> {
  const run = await runBorg(makePruneArgv(repo, o), { command: 'prune', repo });
  const result: PruneResult = { kept: [], pruned: [] };
  for (const message of run.messages) {
    const line = parsePruneListLine(message.message);
    if (line) (line.action === 'keep' ? result.kept : result.pruned).push(line.name);
  }
  return result;
}
