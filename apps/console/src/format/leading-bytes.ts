import type { JobProgress } from '../api/api-types.js';

/**
 * Takes a job's progress; returns the counter its phase advances (hashed while capturing or hashing, read
 * while writing a restore, sent otherwise), the same one the agent computes the rate and ETA from.
 */
export function leadingBytes(p: JobProgress): number {
  if (p.phase === 'hashing' || p.phase === 'capturing') return p.bytesHashed;
  if (p.phase === 'writing') return p.bytesRead;
  return p.bytesSent;
}
