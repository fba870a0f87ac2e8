import { DisplayName, Uuid } from '@vrs/protocol';
import { z } from 'zod';
import { ServerError } from '../../app/server-error.js';
import { audit } from '../../audit/audit.js';
import { snapshotView } from '../../snapshots/snapshot-view.js';
import { requireAccess, requireActor } from '../access.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, memberProcedure, router } from '../trpc.js';
import { findVm } from './vms-router.js';

/** Snapshots: list and get (a host: its own), take and restore (admins, or the VM's host), pin, unpin, delete (admins). */
export const snapshotsRouter = router({
  list: memberProcedure.input(z.object({ vmUuid: Uuid })).query(async ({ ctx, input }) => {
    const vm = await findVm(ctx.app, input.vmUuid);
    requireAccess(ctx.actor, vm.hostId);
    const rows = await ctx.app.catalog.snapshot.findMany({
      where: { vmUuid: input.vmUuid, hostId: vm.hostId },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(snapshotView);
  }),
  get: memberProcedure.input(z.object({ id: Uuid })).query(async ({ ctx, input }) => {
    const row = await ctx.app.snapshots.get(input.id);
    requireAccess(ctx.actor, row.hostId);
    return snapshotView(row);
  }),
  take: memberProcedure
    .input(z.object({ vmUuid: Uuid, label: DisplayName.optional() }))
    .mutation(async ({ ctx, input }) => {
      requireActor(ctx.actor);
      const vm = await findVm(ctx.app, input.vmUuid);
      requireAccess(ctx.actor, vm.hostId);
      const job = await ctx.app.jobs.create({
        kind: 'snapshot',
        hostId: vm.hostId,
        vmUuid: vm.id,
        params: {
          label: input.label ?? `manual ${new Date().toISOString().slice(0, 16)}Z`,
          captureMethod: vm.captureMethod as never,
        },
        requestedBy: actorLabel(ctx.actor),
      });
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'snapshots.take', `vm:${vm.id}`, { job: job.id });
      return job;
    }),
  restore: memberProcedure
    .input(
      z.object({
        snapshotId: Uuid,
        asNew: DisplayName.nullable().default(null),
        powerOff: z.boolean().default(false),
        withConfig: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      requireActor(ctx.actor);
      const snapshot = await ctx.app.snapshots.get(input.snapshotId);
      requireAccess(ctx.actor, snapshot.hostId);
      const vm = await findVm(ctx.app, snapshot.vmUuid);
      if (vm.hostId !== snapshot.hostId) throw new ServerError('FORBIDDEN_HOST', 'the VM moved to another host');
      const job = await ctx.app.jobs.create({
        kind: input.asNew ? 'restore-as-new' : 'restore',
        hostId: vm.hostId,
        vmUuid: vm.id,
        snapshotId: snapshot.id,
        params: input.asNew ? { name: input.asNew } : { powerOff: input.powerOff, withConfig: input.withConfig },
        requestedBy: actorLabel(ctx.actor),
      });
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'snapshots.restore', `snapshot:${snapshot.id}`, {
        job: job.id,
        asNew: input.asNew,
        powerOff: input.powerOff,
        withConfig: input.withConfig,
      });
      return job;
    }),
  pin: adminProcedure.input(z.object({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const view = await ctx.app.snapshots.setPinned(input.id, true);
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'snapshots.pin', `snapshot:${input.id}`, {
      archive: view.archive,
    });
    return view;
  }),
  unpin: adminProcedure.input(z.object({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const view = await ctx.app.snapshots.setPinned(input.id, false);
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'snapshots.unpin', `snapshot:${input.id}`, {
      archive: view.archive,
    });
    return view;
  }),
  delete: adminProcedure.input(z.object({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const row = await ctx.app.snapshots.get(input.id);
    await ctx.app.snapshots.delete(input.id);
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'snapshots.delete', `snapshot:${input.id}`, {
      archive: row.archive,
    });
    return { ok: true };
  }),
});
