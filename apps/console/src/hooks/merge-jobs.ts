import type { Job } from '../api/api-types.js';

/**
 * Takes jobs from a listing and newer views from the live feed; returns the union, each job in its newest
 * view, newest job first, keeping only those that pass `keep`.
 */
export function mergeJobs(
  listed: readonly Job[],
  updates: ReadonlyMap<string, Job>,
  keep: (job: Job) => boolean = () => true,
): Job[] {
  const byId = new Map(listed.map((j) => [j.id, j]));
  for (const [id, job] of updates) byId.set(id, job);
  return [...byId.values()].filter(keep).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
