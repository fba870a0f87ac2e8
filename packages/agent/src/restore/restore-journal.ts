import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What a restore of one disk is: the same job, file and target on resume, or a fresh start. */
export interface RestoreIdentity {
  job: string;
  path: string;
  /** Hex BLAKE3 of the target manifest's encoding. */
  target: string;
}

type Line = ({ kind: 'start' } & RestoreIdentity) | { kind: 'verified'; positions: number[] } | { kind: 'complete' };

/**
 * The restore journal of one disk: the target, then batches of positions that hold verified target
 * content and are fsynced, then `complete`. A resumed restore skips those positions without reading or
 * hashing them again. Each append is fsynced after the data it names.
 */
export class RestoreJournal {
  private constructor(
    readonly path: string,
    readonly verified: Set<number>,
    readonly complete: boolean,
  ) {}

  /**
   * Takes the journal path and the restore's identity; returns the journal, with what an earlier run of
   * the same restore verified. A journal of another job, file or target is discarded.
   */
  static async open(path: string, identity: RestoreIdentity): Promise<RestoreJournal> {
    const lines = await readLines(path);
    const first = lines[0];
    const same =
      first?.kind === 'start' &&
      first.job === identity.job &&
      first.path === identity.path &&
      first.target === identity.target;
    if (!same) {
      await rm(path, { force: true });
      await mkdir(dirname(path), { recursive: true });
      await append(path, { kind: 'start', ...identity });
      return new RestoreJournal(path, new Set(), false);
    }
    const verified = new Set(lines.flatMap((l) => (l.kind === 'verified' ? l.positions : [])));
    return new RestoreJournal(
      path,
      verified,
      lines.some((l) => l.kind === 'complete'),
    );
  }

  /** Records positions whose target content is written and fsynced. */
  async markVerified(positions: readonly number[]): Promise<void> {
    if (positions.length === 0) return;
    await append(this.path, { kind: 'verified', positions: [...positions] });
    for (const p of positions) this.verified.add(p);
  }

  /** Records that the disk equals the target, file length included. */
  async markComplete(): Promise<void> {
    await append(this.path, { kind: 'complete' });
  }

  /** Removes the journal (the restore is over and reported). */
  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

async function append(path: string, line: Line): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(`${JSON.stringify(line)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readLines(path: string): Promise<Line[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  // A kill during an append leaves at most a torn last line: it and anything after it are ignored.
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    try {
      lines.push(JSON.parse(raw) as Line);
    } catch {
      break;
    }
  }
  return lines;
}
