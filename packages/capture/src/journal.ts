import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Something a capture is about to leave behind, and what undoing it needs. */
export type Intent =
  | { kind: 'paused'; vm: string }
  | { kind: 'saved'; vm: string }
  | { kind: 'frozen'; vm: string; thaw: string[]; username: string; passwordFile?: string }
  | { kind: 'clone'; paths: string[]; dir: string }
  | { kind: 'transient-snapshot'; vm: string; name: string; forceWithoutState: string | null }
  | { kind: 'btrfs-snapshot'; path: string }
  | { kind: 'shadow'; id: string };

/** A journal line: an intent written before acting, or the note that it was undone or finished. */
export type JournalEntry =
  | { id: string; at: string; job: string; intent: Intent }
  | { id: string; at: string; done: true };

/**
 * The capture crash journal: an append-only JSON-lines file, fsynced on every append, so that an agent
 * killed at any instant finds on its next start everything it must undo.
 */
export class CaptureJournal {
  constructor(readonly path: string) {}

  /** Takes a job and an intent; appends it durably before the caller acts. Returns its id for `done`. */
  async intend(job: string, intent: Intent): Promise<string> {
    const id = randomUUID();
    await this.append({ id, at: new Date().toISOString(), job, intent });
    return id;
  }

  /** Takes an intent's id; records that what it announced was undone or is over. */
  async done(id: string): Promise<void> {
    await this.append({ id, at: new Date().toISOString(), done: true });
  }

  /** Returns the intents that were never marked done, oldest first. */
  async open(): Promise<{ id: string; job: string; intent: Intent }[]> {
    const entries = await this.read();
    const finished = new Set(entries.filter((e) => 'done' in e).map((e) => e.id));
    return entries.flatMap((e) =>
      'intent' in e && !finished.has(e.id) ? [{ id: e.id, job: e.job, intent: e.intent }] : [],
    );
  }

  /** Rewrites the journal with only the open intents (after a recovery). */
  async compact(): Promise<void> {
    const pending = await this.open();
    const tmp = `${this.path}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      for (const o of pending)
        await handle.write(
          `${JSON.stringify({ id: o.id, at: new Date().toISOString(), job: o.job, intent: o.intent })}\n`,
        );
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path);
  }

  private async append(entry: JournalEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a', 0o600);
    try {
      await handle.write(`${JSON.stringify(entry)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async read(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A kill during an append can leave a torn last line: skip what does not parse.
    return text.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as JournalEntry] : [];
      } catch {
        return [];
      }
    });
  }
}
