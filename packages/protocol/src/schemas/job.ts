import { z } from 'zod';
import { ERROR_CODE_LIST, type ErrorCode } from '../errors/error-codes.js';
import { Timestamp, Uuid } from './common.js';
import { JobProgress } from './progress.js';

/** What a job does. */
export const JobKind = z.enum(['snapshot', 'restore', 'restore-as-new', 'prune', 'compact', 'check']);
export type JobKind = z.infer<typeof JobKind>;

/** queued → running → committing → succeeded | failed | cancelled. */
export const JobState = z.enum(['queued', 'running', 'committing', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

/** The states a job never leaves. */
export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** A failure as a user sees it: the domain code, what happened, and what to do next. */
export const JobError = z.object({
  code: z.enum(ERROR_CODE_LIST as [ErrorCode, ...ErrorCode[]]),
  message: z.string().max(2000),
  hint: z.string().max(500),
});
export type JobError = z.infer<typeof JobError>;

/** A unit of work the server queues and a host (or the server itself) runs. */
export const Job = z.object({
  id: Uuid,
  kind: JobKind,
  state: JobState,
  hostId: Uuid.nullable(),
  vmUuid: Uuid.nullable(),
  snapshotId: Uuid.nullable(),
  progress: JobProgress,
  error: JobError.nullable(),
  attempts: z.number().int().nonnegative(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type Job = z.infer<typeof Job>;
