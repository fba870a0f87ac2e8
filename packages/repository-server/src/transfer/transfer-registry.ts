import { makeSecret, secretMatches } from '../auth/secret-hash.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';
import type { TransferSession } from './transfer-session.js';

/** One job's transfer: the job-scoped token's hash and what the socket serves. */
export type TransferEntry = { jobId: string; hostId: string; tokenHash: string; opened: number } & (
  | { mode: 'snapshot'; session: TransferSession }
  | { mode: 'restore'; reader: SnapshotReader }
);

/** Transfer sessions the server has opened, by job. A job's token works only for that job's socket. */
export class TransferRegistry {
  private readonly entries = new Map<string, TransferEntry>();

  /**
   * Takes a job's transfer (its snapshot session or restore reader); registers it under a new job-scoped
   * token and returns the token. Opening again (a reconnect) keeps the session and issues a new token.
   */
  open(
    entry: Omit<TransferEntry, 'tokenHash' | 'opened'> & ({ session: TransferSession } | { reader: SnapshotReader }),
  ): string {
    const { secret, hash } = makeSecret();
    this.entries.set(entry.jobId, { ...entry, tokenHash: hash, opened: Date.now() } as TransferEntry);
    return secret;
  }

  /** Takes a job; returns its open entry, if any. */
  get(jobId: string): TransferEntry | undefined {
    return this.entries.get(jobId);
  }

  /** Takes a job and a presented token; returns the entry when the token is that job's. */
  authenticate(jobId: string, token: string): TransferEntry | null {
    const entry = this.entries.get(jobId);
    return entry && secretMatches(token, entry.tokenHash) ? entry : null;
  }

  /** Takes a job; forgets its transfer (the job ended). */
  close(jobId: string): void {
    this.entries.delete(jobId);
  }
}
