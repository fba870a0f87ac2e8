import { mkdir } from 'node:fs/promises';
import { BorgError } from './borg-error.js';
import { checkPaths } from './check-paths.js';
import { makeCommonFlags } from './common-flags.js';
import type { BorgProgressEvent } from './progress.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';

/** Options of {@link extractPaths}. */
export interface ExtractOptions {
  /** Paths as archived (relative); an empty list extracts the whole archive. */
  paths: string[];
  /** Directory to extract into (made when missing); paths land relative to it. */
  dest: string;
  onProgress?: (event: BorgProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * Takes a repository, an archive and the paths; returns the argv of `borg extract --progress` (pure).
 * Throws INVALID_INPUT for a bad name or path.
 */
export function makeExtractArgv(repo: BorgRepo, archive: string, o: Pick<ExtractOptions, 'paths'>): string[] {
  return ['extract', ...makeCommonFlags(repo), '--progress', repoLocation(repo, archive), ...checkPaths(o.paths)];
}

const NEVER_MATCHED = /^Include pattern '(.*)' never matched\.?$/;

/**
 * Takes a repository, an archive and extract options; extracts the paths into `dest` (borg runs there).
 * Returns nothing. Throws BorgError INVALID_INPUT naming the paths the archive does not hold,
 * SNAPSHOT_NOT_FOUND for a missing archive, JOB_CANCELLED, … (see runBorg).
 */
export async function extractPaths(repo: BorgRepo, archive: string, o: ExtractOptions): Promise<void> {
  const argv = makeExtractArgv(repo, archive, o);
  await mkdir(o.dest, { recursive: true });
  const run = await runBorg(argv, {
    command: 'extract',
    repo,
    cwd: o.dest,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const missing = run.messages.flatMap((m) => NEVER_MATCHED.exec(m.message)?.[1] ?? []);
  if (missing.length > 0) {
    throw new BorgError('INVALID_INPUT', `borg extract: ${archive} holds no ${missing.join(', ')}`, {
      command: 'extract',
      exitCode: run.exitCode,
      stderrTail: run.stderrTail,
      argv: run.argv,
      hint: "List the snapshot's files and pick paths from that list.",
    });
  }
}
