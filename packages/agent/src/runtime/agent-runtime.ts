import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HashPool } from '@vrs/block-engine';
import { CaptureJournal, recoverLeftovers } from '@vrs/capture';
import { AgentJob, type ErrorCode } from '@vrs/protocol';
import type { VirtualBox } from '@vrs/virtualbox';
import type { Logger } from 'pino';
import type { EnrolledCredential } from '../config/credential-schema.js';
import { toVrsError } from '../connection/call-with-retry.js';
import { connectVrs, type VrsClient } from '../connection/vrs-client.js';
import { readInventory } from '../inventory/read-inventory.js';
import type { JobContext } from '../jobs/job-context.js';
import { runRestoreAsNewJob } from '../jobs/restore-as-new-job.js';
import { runRestoreJob } from '../jobs/restore-job.js';
import { runSnapshotJob } from '../jobs/snapshot-job.js';

/** What `vrs-agent status` reads: written by the running service. */
export interface AgentStatus {
  pid: number;
  hostId: string;
  server: string;
  connected: boolean;
  since: string;
  lastConnectedAt: string | null;
  lastInventoryAt: string | null;
  vms: number;
  running: string[];
  lastJob: { id: string; kind: string; ok: boolean; message: string; at: string } | null;
}

/**
 * Codes a job may meet again with a better outcome later. MIRROR_INCOMPLETE: the seal found cells missing (a
 * server restart lost what it had not staged), and by then the capture is released: a new attempt captures
 * again and sends what the server lacks.
 */
const RETRY: ReadonlySet<ErrorCode> = new Set([
  'FRAME_TRUNCATED',
  'MIRROR_INCOMPLETE',
  'VM_LOCKED',
  'MEDIUM_LOCKED',
  'INVALID_VM_STATE',
  'CAPTURE_FAILED',
  'HOST_OFFLINE',
]);

/**
 * The agent service: recovers what a previous run left (capture journal), connects to the server and
 * reconnects with backoff and jitter, reports the VM inventory at start and whenever it changes, and runs
 * the jobs the server pushes, one at a time, reporting their outcome. A job the server cancels is aborted.
 */
export class AgentRuntime {
  private client: VrsClient | null = null;
  private closeClient: (() => Promise<void>) | null = null;
  private subscription: { unsubscribe(): void } | null = null;
  private readonly running = new Map<string, AbortController>();
  private readonly queue: AgentJob[] = [];
  private busy = false;
  private lastInventory = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly pool: HashPool;
  private readonly journal: CaptureJournal;
  private stopped = false;
  readonly status: AgentStatus;

  constructor(
    private readonly o: {
      credential: EnrolledCredential;
      vbox: VirtualBox;
      stateDir: string;
      log: Logger;
      inventoryIntervalMs?: number;
      pool?: HashPool;
    },
  ) {
    this.pool = o.pool ?? new HashPool();
    this.journal = new CaptureJournal(join(o.stateDir, 'capture.journal'));
    this.status = {
      pid: process.pid,
      hostId: o.credential.hostId,
      server: o.credential.server,
      connected: false,
      since: new Date().toISOString(),
      lastConnectedAt: null,
      lastInventoryAt: null,
      vms: 0,
      running: [],
      lastJob: null,
    };
  }

  /** Recovers leftovers, connects, and starts the inventory watch. */
  async start(): Promise<void> {
    const recovered = await recoverLeftovers(this.o.vbox, this.journal);
    if (recovered.undone.length + recovered.failed.length + recovered.orphanTransientSnapshots > 0) {
      this.o.log.warn({ recovered }, 'cleaned up after an earlier run');
    }
    const { client, close } = connectVrs({
      server: this.o.credential.server,
      fingerprint: this.o.credential.fingerprint,
      params: { host: this.o.credential.hostId, credential: this.o.credential.credential },
      onOpen: () => void this.onOpen(),
      onClose: (code) => this.onClose(code),
    });
    this.client = client;
    this.closeClient = close;
    this.timer = setInterval(
      () => void this.reportInventory().catch(() => undefined),
      this.o.inventoryIntervalMs ?? 30_000,
    );
    await this.writeStatus();
  }

  /** Stops: aborts running jobs (they resume on the next start), closes the connection and the hash pool. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const controller of this.running.values()) controller.abort();
    this.subscription?.unsubscribe();
    await this.closeClient?.();
    await this.pool.close();
  }

  private async onOpen(): Promise<void> {
    this.status.connected = true;
    this.status.lastConnectedAt = new Date().toISOString();
    this.o.log.info({ server: this.o.credential.server }, 'connected');
    this.lastInventory = '';
    await this.reportInventory().catch((error) => this.o.log.warn({ err: error }, 'inventory not sent'));
    this.subscription?.unsubscribe();
    this.subscription = (this.client as VrsClient).agent.jobs.subscribe(
      { running: [...this.running.keys()] },
      {
        onData: (message) => this.onMessage(message),
        onError: (error) => this.o.log.warn({ err: error }, 'jobs subscription failed'),
      },
    );
    await this.writeStatus();
  }

  private onClose(code?: number): void {
    if (this.stopped) return;
    this.status.connected = false;
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.o.log.warn({ code }, 'disconnected from the server; reconnecting');
    if (code === 4001) this.o.log.error('this host was revoked by an admin: re-enroll it to reconnect');
    void this.writeStatus();
  }

  private onMessage(message: unknown): void {
    const m = message as { type: string; job?: unknown; jobId?: string };
    if (m.type === 'cancel' && m.jobId) {
      this.running.get(m.jobId)?.abort();
      return;
    }
    const parsed = AgentJob.safeParse(m.job);
    if (!parsed.success) {
      this.o.log.error({ issues: parsed.error.issues }, 'the server sent a job this agent cannot read');
      return;
    }
    const job = parsed.data;
    if (this.running.has(job.id) || this.queue.some((q) => q.id === job.id)) return;
    this.queue.push(job);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) await this.run(job);
    } finally {
      this.busy = false;
    }
  }

  /** Takes a job; runs it and reports a failure to the server (successes are reported by the job itself). */
  private async run(job: AgentJob): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    this.status.running = [...this.running.keys()];
    await this.writeStatus();
    const log = this.o.log.child({ job: job.id, kind: job.kind, vm: job.vmUuid });
    const ctx: JobContext = {
      client: this.client as VrsClient,
      server: this.o.credential.server,
      fingerprint: this.o.credential.fingerprint,
      vbox: this.o.vbox,
      pool: this.pool,
      captureJournal: this.journal,
      stateDir: this.o.stateDir,
      log,
      signal: controller.signal,
    };
    log.info({ attempt: job.attempt }, 'job started');
    try {
      const result =
        job.kind === 'snapshot'
          ? await runSnapshotJob(ctx, job)
          : job.kind === 'restore'
            ? await runRestoreJob(ctx, job)
            : await runRestoreAsNewJob(ctx, job);
      log.info({ result: summarize(result) }, 'job done');
      this.status.lastJob = { id: job.id, kind: job.kind, ok: true, message: 'done', at: new Date().toISOString() };
    } catch (error) {
      const e = toVrsError(error);
      log.warn({ code: e.code, err: e.message }, 'job failed');
      this.status.lastJob = { id: job.id, kind: job.kind, ok: false, message: e.message, at: new Date().toISOString() };
      if (!this.stopped && !controller.signal.aborted) {
        await (this.client as VrsClient).agent.fail
          .mutate({
            jobId: job.id,
            error: { code: e.code, message: e.message.slice(0, 2000), hint: e.hint.slice(0, 500) },
            retry: RETRY.has(e.code),
          })
          .catch((failure) =>
            log.warn(
              { err: failure },
              'could not report the failure; the server resumes the job when it sees this host again',
            ),
          );
      }
    } finally {
      this.running.delete(job.id);
      this.status.running = [...this.running.keys()];
      await this.writeStatus();
    }
  }

  /** Looks at the VMs again `inventoryIntervalMs` after the last look ended (never two looks at once). */
  private scheduleInventory(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.reportInventory()
        .catch((error) => this.o.log.debug({ err: error }, 'inventory not sent'))
        .finally(() => this.scheduleInventory());
    }, this.o.inventoryIntervalMs ?? 30_000);
    this.timer.unref();
  }

  private inventoryRun: Promise<void> | null = null;

  /** Reads the inventory and sends it when it changed; a call while one runs waits for that one. */
  private reportInventory(): Promise<void> {
    this.inventoryRun ??= this.sendInventory().finally(() => {
      this.inventoryRun = null;
    });
    return this.inventoryRun;
  }

  private async sendInventory(): Promise<void> {
    if (!this.client || !this.status.connected) return;
    const { inventory } = await readInventory(this.o.vbox);
    const text = JSON.stringify(inventory);
    if (text === this.lastInventory) return;
    await this.client.agent.inventory.mutate(inventory);
    this.lastInventory = text;
    this.status.lastInventoryAt = new Date().toISOString();
    this.status.vms = inventory.vms.length;
    await this.writeStatus();
  }

  private async writeStatus(): Promise<void> {
    await writeFile(join(this.o.stateDir, 'status.json'), `${JSON.stringify(this.status, null, 2)}\n`, {
      mode: 0o600,
    }).catch(() => undefined);
  }
}

function summarize(result: object): Record<string, unknown> {
  const r = result as Record<string, unknown>;
  const report = r.report as { sent?: unknown; reconnects?: number } | undefined;
  return { ...r, report: report ? { sent: report.sent, reconnects: report.reconnects } : undefined, files: undefined };
}
