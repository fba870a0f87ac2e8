import { KeepWithin, RetentionPolicy, Uuid } from '@vrs/protocol';
import { Cron } from 'croner';
import { z } from 'zod';
import { ServerError } from '../../app/server-error.js';
import { audit } from '../../audit/audit.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, router, viewerProcedure } from '../trpc.js';
import { policyView } from '../views.js';
import { defaultPolicy, findVm } from './vms-router.js';

/** A cron expression croner accepts. */
const Schedule = RetentionPolicy.shape.schedule.refine((text) => {
  try {
    new Cron(text, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}, 'not a cron expression croner accepts, e.g. "0 * * * *"');

const PolicyInput = RetentionPolicy.omit({ id: true }).extend({ schedule: Schedule });
const Retention = RetentionPolicy.pick({ hourly: true, daily: true, weekly: true, monthly: true, yearly: true }).extend(
  {
    keepWithin: KeepWithin.nullable(),
  },
);

/** Policies: schedules and retention, with a prune preview that asks borg exactly which snapshots would go. */
export const policiesRouter = router({
  list: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.app.catalog.retentionPolicy.findMany({
      orderBy: { name: 'asc' },
      include: { _count: { select: { vms: true } } },
    });
    return rows.map((row) => ({ ...policyView(row), vms: row._count.vms }));
  }),
  get: viewerProcedure.input(z.object({ id: Uuid })).query(async ({ ctx, input }) => {
    const row = await ctx.app.catalog.retentionPolicy.findUnique({ where: { id: input.id } });
    if (!row) throw new ServerError('INVALID_INPUT', `there is no policy ${input.id}`);
    return policyView(row);
  }),
  create: adminProcedure.input(PolicyInput).mutation(async ({ ctx, input }) => {
    if (await ctx.app.catalog.retentionPolicy.findUnique({ where: { name: input.name } })) {
      throw new ServerError('CONFLICT', `a policy named ${input.name} exists`);
    }
    const row = await ctx.app.catalog.retentionPolicy.create({ data: input });
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'policies.create', `policy:${row.id}`, input);
    ctx.app.scheduler.refresh();
    return policyView(row);
  }),
  update: adminProcedure.input(PolicyInput.extend({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const { id, ...data } = input;
    const row = await ctx.app.catalog.retentionPolicy.update({ where: { id }, data }).catch(() => {
      throw new ServerError('INVALID_INPUT', `there is no policy ${id}, or the name is taken`);
    });
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'policies.update', `policy:${id}`, data);
    ctx.app.scheduler.refresh();
    return policyView(row);
  }),
  delete: adminProcedure.input(z.object({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const row = await ctx.app.catalog.retentionPolicy.findUnique({ where: { id: input.id } });
    if (!row) throw new ServerError('INVALID_INPUT', `there is no policy ${input.id}`);
    if (row.name === 'default')
      throw new ServerError('CONFLICT', 'the default policy cannot be deleted; edit it instead');
    await ctx.app.catalog.retentionPolicy.delete({ where: { id: input.id } });
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'policies.delete', `policy:${input.id}`, { name: row.name });
    ctx.app.scheduler.refresh();
    return { ok: true };
  }),
  /** Which of the VM's snapshots a retention would remove now (borg prune --dry-run; pinned ones never). */
  previewPrune: viewerProcedure
    .input(z.object({ vmUuid: Uuid, retention: Retention.optional() }))
    .query(async ({ ctx, input }) => {
      const vm = await findVm(ctx.app, input.vmUuid);
      const retention = input.retention ?? policyView(vm.policy ?? (await defaultPolicy(ctx.app)) ?? missing());
      const result = await ctx.app.snapshots.prune(vm.hostId, vm.id, retention, true);
      const rows = await ctx.app.catalog.snapshot.findMany({ where: { vmUuid: vm.id, hostId: vm.hostId } });
      const byArchive = new Map(rows.map((r) => [r.archive, r]));
      const describe = (archive: string) => ({
        archive,
        id: byArchive.get(archive)?.id ?? null,
        label: byArchive.get(archive)?.label ?? archive,
        createdAt: byArchive.get(archive)?.createdAt.toISOString() ?? null,
      });
      return {
        kept: result.kept.map(describe),
        pruned: result.pruned.map(describe),
        pinned: rows.filter((r) => r.pinned).map((r) => describe(r.archive)),
      };
    }),
});

function missing(): never {
  throw new ServerError('INTERNAL', 'the default policy is missing: run vrs-server init');
}
