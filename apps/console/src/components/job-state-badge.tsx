import type { Job } from '../api/api-types.js';

/** A job's state as a coloured word. */
export function JobStateBadge({ state }: { state: Job['state'] }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}
