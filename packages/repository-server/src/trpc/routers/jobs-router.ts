import { JobState, Uuid } from '@vrs/protocol';
import { z } from 'zod';
import { Channel } from '../../agents/channel.js';
import { audit } from '../../audit/audit.js';
import { type JobView, jobView } from '../../jobs/job-view.js';
import { hostFilter, requireAccess } from '../access.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, memberProcedure, router } from '../trpc.js';

/** Jobs: list, get, cancel (admins), and live changes (state and progress). */
export const jobsRouter = router({
  list: memberProcedure
    .input(
      z.object({
        vmUuid: Uuid.optional(),
        state: z.array(JobState).max(6).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.app.catalog.job.findMany({
        where: {
          ...hostFilter(ctx.actor),
          ...(input.vmUuid ? { vmUuid: input.vmUuid } : {}),
          ...(input.state ? { state: { in: input.state } } : {}),
        },
        orderBy: { createdAt: 'desc' },
        take: input.limit,
      });
      return rows.map(jobView);
    }),
  get: memberProcedure.input(z.object({ id: Uuid })).query(async ({ ctx, input }) => {
    const row = await ctx.app.jobs.get(input.id);
    requireAccess(ctx.actor, row.hostId);
    return jobView(row);
  }),
  cancel: adminProcedure.input(z.object({ id: Uuid })).mutation(async ({ ctx, input }) => {
    const view = await ctx.app.jobs.cancel(input.id);
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'jobs.cancel', `job:${input.id}`);
    return view;
  }),
  /** Every change of the jobs the caller may see (or of one job), as it happens: state, progress, errors. */
  watch: memberProcedure.input(z.object({ jobId: Uuid.optional() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const channel = new Channel<JobView>(signal);
    const stop = ctx.app.events.listen((job) => {
      if (input.jobId && job.id !== input.jobId) return;
      if (ctx.actor.kind === 'host' && job.hostId !== ctx.actor.id) return;
      channel.push(job);
    });
    try {
      if (input.jobId) {
        const row = await ctx.app.jobs.get(input.jobId);
        requireAccess(ctx.actor, row.hostId);
        yield jobView(row);
      }
      for await (const job of channel) yield job;
    } finally {
      stop();
    }
  }),
});
