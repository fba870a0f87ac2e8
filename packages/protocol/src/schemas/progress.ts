import { z } from 'zod';
import { ByteCount, Timestamp, Uuid } from './common.js';

/** The phases a job reports, in the order a snapshot or restore passes them. */
export const JobPhase = z.enum([
  'queued',
  'inspecting',
  'capturing',
  'hashing',
  'transferring',
  'committing',
  'archiving',
  'writing',
  'pruning',
  'compacting',
  'checking',
  'done',
]);
export type JobPhase = z.infer<typeof JobPhase>;

/** A job's progress: byte counters, rate and ETA. */
export const JobProgress = z.object({
  phase: JobPhase,
  bytesTotal: ByteCount,
  bytesRead: ByteCount,
  bytesHashed: ByteCount,
  bytesSent: ByteCount,
  bytesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** One progress event as it travels from agent to server to console. */
export const ProgressEvent = z.object({
  jobId: Uuid,
  at: Timestamp,
  progress: JobProgress,
  message: z.string().max(500).optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;

/** A progress record with nothing done yet. */
export function emptyProgress(phase: JobPhase = 'queued'): JobProgress {
  return { phase, bytesTotal: 0, bytesRead: 0, bytesHashed: 0, bytesSent: 0, bytesPerSecond: 0, etaSeconds: null };
}
