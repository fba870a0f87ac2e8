import { DEFAULT_RETENTION } from '@vrs/protocol';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/open-catalog.js';
import type { JobService } from '../jobs/job-service.js';
import type { Metrics } from '../observability/metrics.js';
import type { Notifier } from '../observability/notifier.js';
import { protectionOf } from '../trpc/views.js';

/** When maintenance runs (server time): the prune sweep of every VM, and one repository's check. */
export const MAINTENANCE = { prune: '15 3 * * *', check: '45 4 * * *', rpoWatch: '* * * * *' } as const;

/**
 * The server's clock: a cron per VM (from its policy, or the default one) that queues a snapshot job (kept
 * queued while the host is offline, run when it connects; one queued per VM at most), a prune after every
 * snapshot and a nightly prune sweep, a nightly `borg check` of one repository in rotation, and the RPO watch.
 * None of it needs a host online.
 */
export class Scheduler {
  private readonly vmCrons = new Map<string, Cron>();
  private readonly fixed: Cron[] = [];
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly catalog: Catalog,
    private readonly jobs: JobService,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly notifier: Notifier,
  ) {}

  /** Starts the maintenance crons and the per-VM crons, and queues a snapshot of every VM that missed one. */
  async start(): Promise<void> {
    this.fixed.push(
      new Cron(MAINTENANCE.prune, { protect: true }, async () => {
        await this.pruneAll();
      }),
      new Cron(MAINTENANCE.check, { protect: true }, () => this.checkOne()),
      new Cron(MAINTENANCE.rpoWatch, { protect: true }, () => this.watchRpo()),
    );
    await this.rebuild();
    await this.catchUp();
    await this.watchRpo();
  }

  stop(): void {
    for (const cron of [...this.fixed, ...this.vmCrons.values()]) cron.stop();
    this.vmCrons.clear();
  }

  /** Rebuilds the per-VM crons (a policy or VM changed). Coalesces calls. */
  refresh(): void {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = this.rebuild()
      .catch((error) => this.log.error({ err: error }, 'scheduler refresh failed'))
      .finally(() => {
        this.refreshing = null;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  /** Takes a host and a VM that just got a snapshot; queues its prune (serialized with the repository's writes). */
  async afterSnapshot(hostId: string, vm: string): Promise<void> {
    await this.jobs.create({ kind: 'prune', hostId, vmUuid: vm, requestedBy: 'system' });
  }

  /** Queues a prune of every VM that has snapshots. */
  async pruneAll(): Promise<number> {
    const vms = await this.catalog.vm.findMany({ where: { lastSnapshotAt: { not: null } } });
    for (const vm of vms)
      await this.jobs.create({ kind: 'prune', hostId: vm.hostId, vmUuid: vm.id, requestedBy: 'system' });
    return vms.length;
  }

  /** Queues a `borg check` of the repository checked longest ago (archives included every other time). */
  async checkOne(): Promise<void> {
    const repositories = await this.catalog.repository.findMany({
      include: { checks: { orderBy: { startedAt: 'desc' }, take: 1 } },
    });
    if (repositories.length === 0) return;
    repositories.sort((a, b) => (a.checks[0]?.startedAt.getTime() ?? 0) - (b.checks[0]?.startedAt.getTime() ?? 0));
    const repository = repositories[0] as (typeof repositories)[number];
    const total = await this.catalog.checkResult.count({ where: { repositoryId: repository.id } });
    await this.jobs.create({
      kind: 'check',
      hostId: null,
      vmUuid: null,
      repositoryId: repository.id,
      params: { archives: total % 2 === 1 },
      requestedBy: 'system',
    });
  }

  /** Compares each VM's last good snapshot with its RPO; notifies once when a VM becomes late. */
  async watchRpo(now = new Date()): Promise<void> {
    const fallback = await this.catalog.retentionPolicy.findUnique({ where: { name: 'default' } });
    const vms = await this.catalog.vm.findMany({ include: { policy: true } });
    for (const vm of vms) {
      const rpo = (vm.policy ?? fallback)?.rpoMinutes ?? DEFAULT_RETENTION.rpoMinutes;
      const { protection, ageSeconds } = protectionOf(vm.lastSnapshotAt, rpo, now.getTime());
      if (ageSeconds !== null) this.metrics.snapshotAge.set({ vm: vm.id }, ageSeconds);
      this.metrics.vmLate.set({ vm: vm.id }, protection === 'ok' ? 0 : 1);
      const late =
        protection === 'late' || (protection === 'never' && now.getTime() - vm.updatedAt.getTime() > rpo * 60_000);
      if (late && !vm.rpoLateSince) {
        await this.catalog.vm.update({ where: { id: vm.id }, data: { rpoLateSince: now } });
        await this.notifier.notify({
          event: 'rpo.missed',
          vmUuid: vm.id,
          vmName: vm.name,
          lastSnapshotAt: vm.lastSnapshotAt?.toISOString() ?? null,
          rpoMinutes: rpo,
        });
      } else if (!late && vm.rpoLateSince) {
        await this.catalog.vm.update({ where: { id: vm.id }, data: { rpoLateSince: null } });
      }
    }
  }

  /** Queues one snapshot of every VM whose schedule fired since its last snapshot (the server was down). */
  async catchUp(now = new Date()): Promise<number> {
    let queued = 0;
    for (const { vm, schedule } of await this.schedules()) {
      const since = vm.lastSnapshotAt ?? vm.updatedAt;
      const next = new Cron(schedule, { paused: true }).nextRun(since);
      if (next && next <= now) {
        await this.queueSnapshot(vm.id, vm.hostId, 'catch-up');
        queued++;
      }
    }
    return queued;
  }

  private async rebuild(): Promise<void> {
    const wanted = new Map((await this.schedules()).map((s) => [s.vm.id, s]));
    for (const [id, cron] of this.vmCrons) {
      if (wanted.get(id)?.schedule !== cron.getPattern()) {
        cron.stop();
        this.vmCrons.delete(id);
      }
    }
    for (const [id, { vm, schedule }] of wanted) {
      if (this.vmCrons.has(id)) continue;
      this.vmCrons.set(
        id,
        new Cron(schedule, { protect: true }, () => this.queueSnapshot(vm.id, vm.hostId, 'scheduled')),
      );
    }
  }

  private async schedules() {
    const fallback = await this.catalog.retentionPolicy.findUnique({ where: { name: 'default' } });
    const vms = await this.catalog.vm.findMany({ include: { policy: true } });
    return vms.map((vm) => ({ vm, schedule: (vm.policy ?? fallback)?.schedule ?? DEFAULT_RETENTION.schedule }));
  }

  private async queueSnapshot(vm: string, hostId: string, why: string): Promise<void> {
    try {
      const row = await this.catalog.vm.findUnique({ where: { id: vm } });
      await this.jobs.create(
        {
          kind: 'snapshot',
          hostId,
          vmUuid: vm,
          params: {
            label: `${why} ${new Date().toISOString().slice(0, 16)}Z`,
            captureMethod: (row?.captureMethod ?? null) as never,
          },
          requestedBy: 'system',
        },
        { coalesce: true },
      );
    } catch (error) {
      this.log.error({ err: error, vm }, 'could not queue a scheduled snapshot');
    }
  }
}
