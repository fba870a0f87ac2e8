import { checkRepo, compactRepo } from '@vrs/borg';
import { DEFAULT_RETENTION } from '@vrs/protocol';
import type { App } from '../app/app.js';
import { ServerError } from '../app/server-error.js';
import type { Job as JobRow } from '../catalog/generated/prisma/client.js';
import type { JobParams } from './job-params.js';
import type { JobExecutor } from './job-service.js';
import { jobView } from './job-view.js';

/**
 * Runs the jobs that need no host: prune (the VM's policy), compact and check of a repository, each through
 * the repository's single writer. A check's result is kept for the console. Returns what the job records.
 */
export function makeServerJobs(app: App): JobExecutor {
  return {
    async runServerJob(job: JobRow): Promise<Partial<JobParams> | undefined> {
      const params = jobView(job).params;
      if (job.kind === 'prune') {
        const vm = await app.catalog.vm.findUnique({ where: { id: job.vmUuid ?? '' }, include: { policy: true } });
        if (!vm) throw new ServerError('VM_NOT_FOUND', `there is no VM ${job.vmUuid}`);
        const policy =
          vm.policy ??
          (await app.catalog.retentionPolicy.findUnique({ where: { name: 'default' } })) ??
          DEFAULT_RETENTION;
        const result = await app.snapshots.prune(vm.hostId, vm.id, policy, params.dryRun ?? false);
        return { pruned: result.pruned };
      }
      const repository = await app.catalog.repository.findUnique({ where: { id: job.repositoryId ?? '' } });
      if (!repository) throw new ServerError('REPO_NOT_FOUND', `there is no repository ${job.repositoryId}`);
      const repo = app.repositories.borg(repository);
      if (job.kind === 'compact') {
        await app.writer.write(repository.path, () => compactRepo(repo));
        return undefined;
      }
      if (job.kind === 'check') {
        const startedAt = new Date();
        const result = await app.writer.write(repository.path, () =>
          checkRepo(repo, params.archives ? { last: 3 } : { repositoryOnly: true }),
        );
        await app.catalog.checkResult.create({
          data: {
            repositoryId: repository.id,
            startedAt,
            finishedAt: new Date(),
            ok: result.ok,
            output: result.output.slice(-50).join('\n') || (result.ok ? 'no problems found' : 'problems found'),
          },
        });
        if (!result.ok) throw new ServerError('BORG_FAILED', `borg check found problems in ${repository.name}`);
        return undefined;
      }
      throw new ServerError('INTERNAL', `job kind ${job.kind} does not run on the server`);
    },
  };
}
