import { statfs } from 'node:fs/promises';
import { getRepoInfo } from '@vrs/borg';
import { Uuid } from '@vrs/protocol';
import { z } from 'zod';
import type { App } from '../../app/app.js';
import { ServerError } from '../../app/server-error.js';
import { audit } from '../../audit/audit.js';
import { actorLabel } from '../actor.js';
import { adminProcedure, router, viewerProcedure } from '../trpc.js';

/** Takes the server and a repository id; returns it. Throws REPO_NOT_FOUND. */
async function findRepository(app: App, id: string) {
  const row = await app.catalog.repository.findUnique({ where: { id } });
  if (!row)
    throw new ServerError('REPO_NOT_FOUND', `there is no repository ${id}`, {
      hint: 'List them with the repository stats.',
    });
  return row;
}

/** The borg repositories: sizes and dedup, check results, and compact or check on demand. */
export const repositoryRouter = router({
  stats: viewerProcedure.query(async ({ ctx }) => {
    const fs = await statfs(ctx.app.paths.root);
    const repositories = [];
    for (const row of await ctx.app.repositories.all()) {
      const info = await getRepoInfo(ctx.app.repositories.borg(row)).catch(() => null);
      const snapshots = await ctx.app.catalog.snapshot.count({ where: { repositoryId: row.id } });
      repositories.push({
        id: row.id,
        name: row.name,
        hostId: row.hostId,
        snapshots,
        originalSize: info?.stats.totalSize ?? null,
        storedSize: info?.stats.uniqueCsize ?? null,
        dedupRatio: info && info.stats.uniqueCsize > 0 ? info.stats.totalSize / info.stats.uniqueCsize : null,
      });
    }
    return { repositories, disk: { total: fs.blocks * fs.bsize, free: fs.bavail * fs.bsize } };
  }),
  checks: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(30) }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.app.catalog.checkResult.findMany({ orderBy: { startedAt: 'desc' }, take: input.limit });
      return rows.map((r) => ({
        id: r.id,
        repositoryId: r.repositoryId,
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt.toISOString(),
        ok: r.ok,
        output: r.output,
      }));
    }),
  compact: adminProcedure.input(z.object({ repositoryId: Uuid })).mutation(async ({ ctx, input }) => {
    await findRepository(ctx.app, input.repositoryId);
    const job = await ctx.app.jobs.create({
      kind: 'compact',
      hostId: null,
      vmUuid: null,
      repositoryId: input.repositoryId,
      requestedBy: actorLabel(ctx.actor),
    });
    await audit(ctx.app.catalog, actorLabel(ctx.actor), 'repository.compact', `repository:${input.repositoryId}`, {
      job: job.id,
    });
    return job;
  }),
  check: adminProcedure
    .input(z.object({ repositoryId: Uuid, archives: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      await findRepository(ctx.app, input.repositoryId);
      const job = await ctx.app.jobs.create({
        kind: 'check',
        hostId: null,
        vmUuid: null,
        repositoryId: input.repositoryId,
        params: { archives: input.archives },
        requestedBy: actorLabel(ctx.actor),
      });
      await audit(ctx.app.catalog, actorLabel(ctx.actor), 'repository.check', `repository:${input.repositoryId}`, {
        job: job.id,
      });
      return job;
    }),
});
