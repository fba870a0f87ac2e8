import { CaptureMethod, Uuid } from '@vrs/protocol';
import { z } from 'zod';
import type { App } from '../../app/app.js';
import { ServerError } from '../../app/server-error.js';
import { audit } from '../../audit/audit.js';
import { hostFilter, requireAccess } from '../access.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, memberProcedure, router } from '../trpc.js';
import { vmView } from '../views.js';

/** Takes the server and a VM; returns its row with policy. Throws VM_NOT_FOUND. */
export async function findVm(app: App, uuid: string) {
  const row = await app.catalog.vm.findUnique({ where: { id: uuid }, include: { policy: true } });
  if (!row) throw new ServerError('VM_NOT_FOUND', `there is no VM ${uuid}`);
  return row;
}

/** The policy of VMs without one of their own. */
export function defaultPolicy(app: App) {
  return app.catalog.retentionPolicy.findUnique({ where: { name: 'default' } });
}

/** VMs: list, get, and what an admin sets on them (policy, forced capture method). */
export const vmsRouter = router({
  list: memberProcedure.query(async ({ ctx }) => {
    const rows = await ctx.app.catalog.vm.findMany({
      where: hostFilter(ctx.actor),
      include: { policy: true },
      orderBy: { name: 'asc' },
    });
    const fallback = await defaultPolicy(ctx.app);
    return rows.map((row) => vmView(row, fallback));
  }),
  get: memberProcedure.input(z.object({ uuid: Uuid })).query(async ({ ctx, input }) => {
    const row = await findVm(ctx.app, input.uuid);
    requireAccess(ctx.actor, row.hostId);
    return vmView(row, await defaultPolicy(ctx.app));
  }),
  setPolicy: adminProcedure
    .input(z.object({ uuid: Uuid, policyId: Uuid.nullable() }))
    .mutation(async ({ ctx, input }) => {
      await findVm(ctx.app, input.uuid);
      if (input.policyId && !(await ctx.app.catalog.retentionPolicy.findUnique({ where: { id: input.policyId } }))) {
        throw new ServerError('INVALID_INPUT', `there is no policy ${input.policyId}`);
      }
      const row = await ctx.app.catalog.vm.update({
        where: { id: input.uuid },
        data: { policyId: input.policyId },
        include: { policy: true },
      });
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'vms.setPolicy', `vm:${input.uuid}`, {
        policyId: input.policyId,
      });
      ctx.app.scheduler.refresh();
      return vmView(row, await defaultPolicy(ctx.app));
    }),
  setCaptureMethod: adminProcedure
    .input(z.object({ uuid: Uuid, method: CaptureMethod.nullable() }))
    .mutation(async ({ ctx, input }) => {
      await findVm(ctx.app, input.uuid);
      const row = await ctx.app.catalog.vm.update({
        where: { id: input.uuid },
        data: { captureMethod: input.method },
        include: { policy: true },
      });
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'vms.setCaptureMethod', `vm:${input.uuid}`, {
        method: input.method,
      });
      return vmView(row, await defaultPolicy(ctx.app));
    }),
  /** Queues a prune of the VM's snapshots by its policy (runs on the server, serialized with borg writes). */
  prune: adminProcedure.input(z.object({ uuid: Uuid })).mutation(async ({ ctx, input }) => {
    const vm = await findVm(ctx.app, input.uuid);
    const job = await ctx.app.jobs.create({
      kind: 'prune',
      hostId: vm.hostId,
      vmUuid: vm.id,
      requestedBy: actorLabel(ctx.actor),
    });
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'vms.prune', `vm:${vm.id}`, { job: job.id });
    return job;
  }),
});
