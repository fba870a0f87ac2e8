import { z } from 'zod';
import { router, viewerProcedure } from '../trpc.js';

/** The audit log, newest first. */
export const auditRouter = router({
  list: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), before: z.iso.datetime().optional() }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.app.catalog.auditEntry.findMany({
        where: input.before ? { at: { lt: new Date(input.before) } } : {},
        orderBy: { at: 'desc' },
        take: input.limit,
      });
      return rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        target: r.target,
        details: JSON.parse(r.details) as Record<string, unknown>,
      }));
    }),
});
