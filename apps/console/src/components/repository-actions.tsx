import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Job, RepositoryStats } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { useAction } from '../hooks/use-action.js';
import { useJobWatch } from '../hooks/use-job-watch.js';
import { ErrorNotice } from './error-notice.js';
import { JobProgressView } from './job-progress-view.js';

type Repository = RepositoryStats['repositories'][number];

/** For admins: `borg check` now (optionally of the archives too) and `borg compact`, each followed live. */
export function RepositoryActions(props: { repository: Repository; label: string; onFinished(): void }) {
  const { repository, onFinished } = props;
  const api = useApi();
  const { canChange } = useSession();
  const watch = useJobWatch();
  const [archives, setArchives] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const check = useAction(() => api.repository.check.mutate({ repositoryId: repository.id, archives }));
  const compact = useAction(() => api.repository.compact.mutate({ repositoryId: repository.id }));
  const live = job ? (watch.updates.get(job.id) ?? job) : null;
  const succeeded = live?.state === 'succeeded' ? live.id : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per job that succeeded.
  useEffect(() => {
    if (succeeded) onFinished();
  }, [succeeded]);
  if (!canChange) return null;
  const start = async (action: typeof check) => {
    const queued = await action.run();
    if (queued) setJob(queued);
  };
  return (
    <div className="repository-actions" data-repository-actions={repository.id}>
      <strong>{props.label}</strong>{' '}
      <button type="button" data-mutation="check-now" disabled={check.pending} onClick={() => void start(check)}>
        Check now
      </button>{' '}
      <label className="inline">
        <input type="checkbox" checked={archives} onChange={(e) => setArchives(e.target.checked)} /> archives too
        (slower)
      </label>{' '}
      <button type="button" data-mutation="compact" disabled={compact.pending} onClick={() => void start(compact)}>
        Compact
      </button>
      <ErrorNotice error={check.error ?? compact.error} />
      {live ? <JobProgressView job={live} /> : null}
    </div>
  );
}
