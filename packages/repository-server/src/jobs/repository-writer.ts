import { SerialQueue } from './serial-queue.js';

/**
 * One borg writer per repository at a time: create, prune, compact, rename, delete and check of a
 * repository run through here, in arrival order. borg's own lock (with --lock-wait) stays as a second
 * line against writers outside this process.
 */
export class RepositoryWriter {
  private readonly queue = new SerialQueue();

  /** Takes a repository path and the work; resolves with its result after earlier writes to that repository. */
  write<T>(repoPath: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(repoPath, work);
  }

  /** Takes a repository path; returns whether a write is queued or running. */
  busy(repoPath: string): boolean {
    return this.queue.busy(repoPath);
  }
}
