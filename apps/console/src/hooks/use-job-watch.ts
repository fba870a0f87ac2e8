import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Job } from '../api/api-types.js';

/** Job changes seen on the live feed since mount, by id, and the feed's error. */
export interface JobWatch {
  updates: ReadonlyMap<string, Job>;
  error: unknown;
}

/**
 * Subscribes to `jobs.watch` (every change of every job: state, progress, errors, new jobs) for as long as
 * the component is mounted; returns the latest view of each job that changed.
 */
export function useJobWatch(): JobWatch {
  const api = useApi();
  const [updates, setUpdates] = useState<ReadonlyMap<string, Job>>(new Map());
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const sub = api.jobs.watch.subscribe(
      {},
      {
        onData: (job) => {
          setError(null);
          setUpdates((m) => new Map(m).set(job.id, job));
        },
        onError: setError,
      },
    );
    return () => sub.unsubscribe();
  }, [api]);
  return { updates, error };
}
