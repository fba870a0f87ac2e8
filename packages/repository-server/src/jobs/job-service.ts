import {
  type AgentJob,
  type ErrorCode,
  emptyProgress,
  FINAL_JOB_STATES,
  hintFor,
  type JobError,
  type JobKind,
  JobProgress,
  type JobState,
} from '@vrs/protocol';
import type { Logger } from 'pino';
import type { AgentHub } from '../agents/agent-hub.js';
import { ServerError } from '../app/server-error.js';
import type { Job as JobRow } from '../catalog/generated/prisma/client.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { backoffMs, MAX_ATTEMPTS } from './backoff.js';
import type { JobEvents } from './job-events.js';
import { type JobParams, JobParams as JobParamsSchema } from './job-params.js';
import { type JobView, jobView } from './job-view.js';
import { SerialQueue } from './serial-queue.js';

/** Jobs a host runs; the others (prune, compact, check) run on the server. */
export const HOST_KINDS: ReadonlySet<JobKind> = new Set(['snapshot', 'restore', 'restore-as-new']);

/** The states of a job that is not over. */
export const ACTIVE_STATES: JobState[] = ['queued', 'running', 'committing'];

/** Codes worth another attempt: the cause may go away by itself. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'REPO_LOCKED',
  'HOST_OFFLINE',
  'FRAME_TRUNCATED',
  'MIRROR_INCOMPLETE',
  'BLOCK_HASH_MISMATCH',
  'VM_LOCKED',
  'MEDIUM_LOCKED',
  'INVALID_VM_STATE',
  'CONFLICT',
  'CAPTURE_FAILED',
]);

/** What a new job is. */
export interface NewJob {
  kind: JobKind;
  hostId: string | null;
  vmUuid: string | null;
  snapshotId?: string | null;
  repositoryId?: string | null;
  params?: JobParams;
  requestedBy: string;
}

/** Runs server-side jobs (prune, compact, check) and finishes host jobs' server parts. */
export interface JobExecutor {
  runServerJob(job: JobRow): Promise<Partial<JobParams> | undefined>;
}

/**
 * The job queue: creates jobs, hands host jobs to their hosts when they are online (one at a time per host),
 * runs server jobs through the executor, records progress and outcomes, retries with backoff, and after a
 * restart puts every job that was under way back in a truthful state. All state changes are serialized.
 */
export class JobService {
  private readonly lock = new SerialQueue();
  private executor: JobExecutor | null = null;
  /**
   * Each running job's latest progress and when the row last got it: the row holds it at most a second late,
   * and every state change writes it.
   */
  private readonly latestProgress = new Map<string, { progress: JobProgress; writtenAt: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly hub: AgentHub,
    private readonly events: JobEvents,
    private readonly log: Logger,
    private readonly onFinal: (job: JobView) => void = () => undefined,
  ) {}

  /** Takes the executor of server jobs; starts the timer that dispatches jobs whose backoff ended. */
  start(executor: JobExecutor): void {
    this.executor = executor;
    this.timer = setInterval(() => void this.dispatch().catch((e) => this.log.error(e, 'dispatch failed')), 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Takes a new job; queues it and dispatches. A host job for a VM that already has one queued or running is
   * refused (CONFLICT naming it), unless `coalesce` is set: then that job is returned instead (the scheduler).
   */
  async create(o: NewJob, options: { coalesce?: boolean } = {}): Promise<JobView> {
    const created = await this.lock.run('jobs', async () => {
      if (HOST_KINDS.has(o.kind) && o.vmUuid) {
        const active = await this.catalog.job.findFirst({
          where: { vmUuid: o.vmUuid, kind: { in: [...HOST_KINDS] }, state: { in: ACTIVE_STATES } },
        });
        if (active) {
          if (options.coalesce) return active;
          throw new ServerError(
            'CONFLICT',
            `job ${active.id} (${active.kind}) is already ${active.state} for this VM`,
            {
              hint: 'Wait for it to finish (`vrs jobs --follow`), or cancel it.',
            },
          );
        }
      }
      return this.catalog.job.create({
        data: {
          kind: o.kind,
          state: 'queued',
          hostId: o.hostId,
          vmUuid: o.vmUuid,
          snapshotId: o.snapshotId ?? null,
          repositoryId: o.repositoryId ?? null,
          params: JSON.stringify(JobParamsSchema.parse(o.params ?? {})),
          progress: JSON.stringify(emptyProgress()),
          requestedBy: o.requestedBy,
        },
      });
    });
    const view = jobView(created);
    this.events.emit(view);
    void this.dispatch().catch((e) => this.log.error(e, 'dispatch failed'));
    return view;
  }

  /** Takes a job id; returns its row. Throws JOB_NOT_FOUND. */
  async get(id: string): Promise<JobRow> {
    const row = await this.catalog.job.findUnique({ where: { id } });
    if (!row) throw new ServerError('JOB_NOT_FOUND', `there is no job ${id}`);
    return row;
  }

  /**
   * Hands out work: for each connected host without a running job, its oldest queued job whose backoff is
   * over; and every queued server job. Safe to call at any time; does nothing before `start`.
   */
  async dispatch(): Promise<void> {
    // Before `start` there is no executor: a server job handed out then failed INTERNAL ("Cannot read properties
    // of null"). recoverAtStart finishes jobs, and each finish dispatches, before the server listens.
    if (!this.executor) return;
    const starts = await this.lock.run('jobs', async () => {
      const now = new Date();
      const queued = await this.catalog.job.findMany({
        where: { state: 'queued', OR: [{ runAfter: null }, { runAfter: { lte: now } }] },
        orderBy: { createdAt: 'asc' },
      });
      const busy = new Set(
        (
          await this.catalog.job.findMany({
            where: { state: { in: ['running', 'committing'] }, kind: { in: [...HOST_KINDS] } },
            select: { hostId: true },
          })
        ).map((j) => j.hostId),
      );
      const started: JobRow[] = [];
      for (const job of queued) {
        const host = HOST_KINDS.has(job.kind as JobKind);
        if (host && (!job.hostId || busy.has(job.hostId) || !this.hub.online(job.hostId))) continue;
        if (host) busy.add(job.hostId);
        started.push(
          await this.catalog.job.update({
            where: { id: job.id },
            data: { state: 'running', attempts: { increment: 1 }, startedAt: job.startedAt ?? now, runAfter: null },
          }),
        );
      }
      return started;
    });
    for (const job of starts) {
      this.events.emit(jobView(job));
      if (HOST_KINDS.has(job.kind as JobKind)) {
        this.hub.push(job.hostId as string, { type: 'job', job: toAgentJob(job) });
      } else {
        void this.runOnServer(job);
      }
    }
  }

  /**
   * Takes a host that just subscribed and the jobs its agent is still working on; jobs of that host that the
   * server believes running but the agent does not know (it restarted) are handed out again (resumed: the
   * staged blocks and restore journals make it cheap). Then dispatches.
   */
  async hostConnected(hostId: string, stillRunning: readonly string[]): Promise<void> {
    await this.catalog.host.update({ where: { id: hostId }, data: { lastSeenAt: new Date() } });
    const changed = await this.lock.run('jobs', async () => {
      const rows = await this.catalog.job.findMany({
        where: { hostId, state: { in: ['queued', 'running'] }, kind: { in: [...HOST_KINDS] } },
      });
      const out: JobRow[] = [];
      for (const row of rows) {
        const known = stillRunning.includes(row.id);
        if (row.state === 'running' && !known) {
          out.push(await this.catalog.job.update({ where: { id: row.id }, data: { state: 'queued' } }));
        } else if (row.state === 'queued' && known) {
          out.push(await this.catalog.job.update({ where: { id: row.id }, data: { state: 'running' } }));
        }
      }
      return out;
    });
    for (const row of changed) this.events.emit(jobView(row));
    await this.dispatch();
  }

  /**
   * Takes a host and one of its jobs whose agent just called in for it (it is still working on it); a job that
   * was handed out before the server's last start and queued again then (`recoverAtStart`; not one waiting
   * out a backoff) is running again, as `hostConnected` does for the jobs an agent names. Returns the row.
   * Throws JOB_NOT_FOUND or FORBIDDEN_HOST.
   */
  async resumedByHost(hostId: string, jobId: string): Promise<JobRow> {
    const resumed = await this.lock.run('jobs', async () => {
      const row = await this.requireHostJob(hostId, jobId);
      if (row.state !== 'queued' || !row.startedAt || row.runAfter) return null;
      return this.catalog.job.update({ where: { id: jobId }, data: { state: 'running' } });
    });
    if (!resumed) return this.requireHostJob(hostId, jobId);
    this.log.info({ job: jobId }, 'job resumed by its host after a restart');
    this.events.emit(jobView(resumed));
    return resumed;
  }

  /**
   * Takes a host, a job and its progress; records it (the row at most once a second, and with every change of
   * state, so the final figures are the last reported) and tells listeners.
   */
  async progress(hostId: string, jobId: string, progress: JobProgress): Promise<void> {
    const row = await this.requireHostJob(hostId, jobId);
    if (row.state !== 'running') return;
    const view = { ...jobView(row), progress: JobProgress.parse(progress) };
    const now = Date.now();
    const writtenAt = this.latestProgress.get(jobId)?.writtenAt ?? 0;
    const due = now - writtenAt >= 1000;
    this.latestProgress.set(jobId, { progress: view.progress, writtenAt: due ? now : writtenAt });
    this.events.emit(view);
    if (due) {
      await this.catalog.job.update({ where: { id: jobId }, data: { progress: JSON.stringify(view.progress) } });
    }
  }

  /** Takes a job and its new state (running ↔ committing); records it. */
  async setState(jobId: string, state: 'running' | 'committing', params?: Partial<JobParams>): Promise<JobView> {
    return this.update(jobId, async (row) => ({ state, ...(params ? { params: mergeParams(row, params) } : {}) }));
  }

  /** Takes a job and what it produced; marks it succeeded. */
  async succeed(jobId: string, o: { snapshotId?: string; params?: Partial<JobParams> } = {}): Promise<JobView> {
    const view = await this.update(jobId, async (row) => ({
      state: 'succeeded',
      finishedAt: new Date(),
      error: null,
      progress: JSON.stringify({
        ...(this.latestProgress.get(jobId)?.progress ?? jobView(row).progress),
        phase: 'done',
        etaSeconds: 0,
      }),
      ...(o.snapshotId ? { snapshotId: o.snapshotId } : {}),
      ...(o.params ? { params: mergeParams(row, o.params) } : {}),
    }));
    this.finished(view);
    return view;
  }

  /**
   * Takes a job, its error and whether the cause may pass; queues it again after a backoff when it may and
   * attempts remain, else marks it failed with the error (the code's hint included).
   */
  async fail(
    jobId: string,
    error: { code: ErrorCode; message: string; hint?: string },
    retry?: boolean,
  ): Promise<JobView> {
    const jobError: JobError = {
      code: error.code,
      message: error.message.slice(0, 2000),
      hint: (error.hint ?? hintFor(error.code)).slice(0, 500),
    };
    const view = await this.update(jobId, async (row) => {
      const again = (retry ?? RETRYABLE.has(error.code)) && row.attempts < MAX_ATTEMPTS;
      return again
        ? { state: 'queued', error: JSON.stringify(jobError), runAfter: new Date(Date.now() + backoffMs(row.attempts)) }
        : { state: 'failed', error: JSON.stringify(jobError), finishedAt: new Date() };
    });
    this.log.warn(
      { job: jobId, code: error.code, state: view.state },
      `job ${view.kind} ${view.state}: ${error.message}`,
    );
    if (view.state === 'failed') this.finished(view);
    return view;
  }

  /** Takes a job; cancels it (a running host job is told to stop). Throws CONFLICT when it is over or committing. */
  async cancel(jobId: string): Promise<JobView> {
    const view = await this.update(jobId, async (row) => {
      if (row.state === 'committing') {
        throw new ServerError('CONFLICT', 'the job is committing its snapshot and cannot be cancelled now');
      }
      return { state: 'cancelled', finishedAt: new Date() };
    });
    if (view.hostId) this.hub.push(view.hostId, { type: 'cancel', jobId });
    this.finished(view);
    return view;
  }

  /**
   * Runs once at start, after the mirrors recovered: a job that was under way is either resumed (queued again:
   * its host picks it up when it connects, a server job runs again) or, for a snapshot whose mirror commit
   * finished, left `committing` for `finishCommitted` to archive. Returns the jobs to archive.
   */
  async recoverAtStart(committedSessions: ReadonlySet<string>): Promise<JobRow[]> {
    const rows = await this.catalog.job.findMany({ where: { state: { in: ['running', 'committing'] } } });
    const toArchive: JobRow[] = [];
    for (const row of rows) {
      const params = jobView(row).params;
      if (row.kind === 'snapshot' && (params.mirrorCommitted || committedSessions.has(row.id))) {
        toArchive.push(
          await this.catalog.job.update({
            where: { id: row.id },
            data: { state: 'committing', params: mergeParams(row, { mirrorCommitted: true }) },
          }),
        );
        continue;
      }
      const resumed = await this.catalog.job.update({ where: { id: row.id }, data: { state: 'queued' } });
      this.log.info({ job: row.id, kind: row.kind }, 'job under way at the last stop: resumed');
      this.events.emit(jobView(resumed));
    }
    return toArchive;
  }

  /** Takes a host and a job; returns the job if it is that host's. Throws JOB_NOT_FOUND or FORBIDDEN_HOST. */
  async requireHostJob(hostId: string, jobId: string): Promise<JobRow> {
    const row = await this.get(jobId);
    if (row.hostId !== hostId) throw new ServerError('FORBIDDEN_HOST', `job ${jobId} belongs to another host`);
    return row;
  }

  private async runOnServer(job: JobRow): Promise<void> {
    try {
      const params = await (this.executor as JobExecutor).runServerJob(job);
      await this.succeed(job.id, params ? { params } : {});
    } catch (error) {
      const e = error as { code?: ErrorCode; message?: string; hint?: string };
      await this.fail(job.id, {
        code: e.code ?? 'INTERNAL',
        message: e.message ?? String(error),
        ...(e.hint ? { hint: e.hint } : {}),
      });
    }
  }

  private async update(jobId: string, change: (row: JobRow) => Promise<Record<string, unknown>>): Promise<JobView> {
    const row = await this.lock.run('jobs', async () => {
      const current = await this.get(jobId);
      if (FINAL_JOB_STATES.includes(current.state as JobState)) {
        throw new ServerError('CONFLICT', `job ${jobId} is already ${current.state}`);
      }
      const latest = this.latestProgress.get(jobId)?.progress;
      return this.catalog.job.update({
        where: { id: jobId },
        data: { ...(latest ? { progress: JSON.stringify(latest) } : {}), ...(await change(current)) },
      });
    });
    const view = jobView(row);
    this.events.emit(view);
    return view;
  }

  private finished(view: JobView): void {
    this.latestProgress.delete(view.id);
    this.onFinal(view);
    void this.dispatch().catch((e) => this.log.error(e, 'dispatch failed'));
  }
}

function mergeParams(row: JobRow, params: Partial<JobParams>): string {
  return JSON.stringify(JobParamsSchema.parse({ ...JSON.parse(row.params), ...params }));
}

/** Takes a host job's row; returns the message its agent gets. */
export function toAgentJob(row: JobRow): AgentJob {
  const view = jobView(row);
  const base = { id: row.id, vmUuid: row.vmUuid as string, attempt: row.attempts };
  if (row.kind === 'snapshot') {
    return {
      ...base,
      kind: 'snapshot',
      label: view.params.label ?? 'snapshot',
      captureMethod: view.params.captureMethod ?? null,
    };
  }
  if (row.kind === 'restore') {
    return {
      ...base,
      kind: 'restore',
      snapshotId: row.snapshotId as string,
      powerOff: view.params.powerOff ?? false,
      withConfig: view.params.withConfig ?? false,
    };
  }
  return {
    ...base,
    kind: 'restore-as-new',
    snapshotId: row.snapshotId as string,
    name: view.params.name ?? 'restored',
  };
}
