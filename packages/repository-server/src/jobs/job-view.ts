import { emptyProgress, type Job, JobError, JobKind, JobProgress, JobState } from '@vrs/protocol';
import type { Job as JobRow } from '../catalog/generated/prisma/client.js';
import { fromJsonColumn } from '../catalog/json-column.js';
import { JobParams } from './job-params.js';

/** A job as clients see it: protocol's Job, plus its label, parameters and who asked for it. */
export interface JobView extends Job {
  label: string | null;
  requestedBy: string;
  params: JobParams;
  runAfter: string | null;
}

/** Takes a Job row; returns its view, with every JSON column validated. */
export function jobView(row: JobRow): JobView {
  const params = fromJsonColumn(JobParams, row.params, 'Job.params');
  return {
    id: row.id,
    kind: JobKind.parse(row.kind),
    state: JobState.parse(row.state),
    hostId: row.hostId,
    vmUuid: row.vmUuid,
    snapshotId: row.snapshotId,
    progress: row.progress ? fromJsonColumn(JobProgress, row.progress, 'Job.progress') : emptyProgress(),
    error: row.error ? fromJsonColumn(JobError, row.error, 'Job.error') : null,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    label: params.label ?? null,
    requestedBy: row.requestedBy,
    params,
    runAfter: row.runAfter?.toISOString() ?? null,
  };
}
