import { DisplayName, Uuid } from '@vrs/protocol';
import { z } from 'zod';
import { ServerError } from '../../app/server-error.js';
import { audit } from '../../audit/audit.js';
import { createEnrollmentToken, enrollCommand, MAX_TOKEN_TTL_SECONDS } from '../../auth/enrollment.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, router, viewerProcedure } from '../trpc.js';
import { hostView } from '../views.js';

/** Hosts: list, enroll (a token and the exact command), revoke. */
export const hostsRouter = router({
  list: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.app.catalog.host.findMany({ orderBy: { name: 'asc' } });
    return rows.map((row) => hostView(ctx.app, row));
  }),
  createToken: adminProcedure
    .input(
      z.object({ name: DisplayName, ttlSeconds: z.number().int().min(60).max(MAX_TOKEN_TTL_SECONDS).default(3600) }),
    )
    .mutation(async ({ ctx, input }) => {
      const { token, expiresAt } = await createEnrollmentToken(ctx.app.catalog, input.name, input.ttlSeconds);
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'hosts.createToken', `host-name:${input.name}`, {
        expiresAt: expiresAt.toISOString(),
      });
      return {
        token,
        expiresAt: expiresAt.toISOString(),
        command: enrollCommand(ctx.app.publicUrl, token, ctx.app.fingerprint),
      };
    }),
  revoke: adminProcedure.input(z.object({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const row = await ctx.app.catalog.host.findUnique({ where: { id: input.id } });
    if (!row) throw new ServerError('INVALID_INPUT', `there is no host ${input.id}`);
    await ctx.app.catalog.host.update({ where: { id: input.id }, data: { revokedAt: new Date() } });
    ctx.app.hub.disconnect(input.id);
    ctx.app.sockets.closeHost(input.id);
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'hosts.revoke', `host:${input.id}`, { name: row.name });
    return { ok: true };
  }),
});
