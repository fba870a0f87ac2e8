import { type BorgRepo, compactRepo, pruneArchives, renameArchive } from '@vrs/borg';
import type { RetentionPolicy } from '@vrs/protocol';
import { pinnedName, pruneGlob } from './archive-name.js';

/**
 * Takes a repository, a VM and its retention; runs `borg prune` over that VM's unpinned archives (then
 * `borg compact` unless it is a dry run). Returns which archives were kept and which pruned (or would be).
 * Needs no host. The caller serializes it with other writes to the repository.
 */
export async function pruneVm(
  repo: BorgRepo,
  vm: string,
  policy: Pick<RetentionPolicy, 'keepWithin' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly'>,
  options: { dryRun?: boolean } = {},
): Promise<{ kept: string[]; pruned: string[] }> {
  const result = await pruneArchives(repo, {
    glob: pruneGlob(vm),
    keepWithin: policy.keepWithin,
    hourly: policy.hourly,
    daily: policy.daily,
    weekly: policy.weekly,
    monthly: policy.monthly,
    yearly: policy.yearly,
    dryRun: options.dryRun ?? false,
  });
  if (!options.dryRun) await compactRepo(repo);
  return result;
}

/** Takes a repository, an archive and the wanted state; renames the archive in or out of the prune prefix. Returns the new name. */
export async function setPinned(repo: BorgRepo, archive: string, pinned: boolean): Promise<string> {
  const target = pinnedName(archive, pinned);
  if (target !== archive) await renameArchive(repo, archive, target);
  return target;
}
