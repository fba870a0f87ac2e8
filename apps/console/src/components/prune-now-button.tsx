import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Job, Vm } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { useAction } from '../hooks/use-action.js';
import { useJobWatch } from '../hooks/use-job-watch.js';
import { ErrorNotice } from './error-notice.js';
import { JobProgressView } from './job-progress-view.js';

/** For admins: queue a prune of the VM by its saved policy, and follow the job live. */
export function PruneNowButton({ vm, disabled }: { vm: Vm; disabled: boolean }) {
  const api = useApi();
  const { canChange } = useSession();
  const watch = useJobWatch();
  const [job, setJob] = useState<Job | null>(null);
  const prune = useAction(() => api.vms.prune.mutate({ uuid: vm.uuid }));
  if (!canChange) return null;
  const start = async () => {
    const queued = await prune.run();
    if (queued) setJob(queued);
  };
  return (
    <div>
      <button
        type="button"
        data-mutation="prune-now"
        data-prune-vm={vm.uuid}
        disabled={disabled || prune.pending}
        onClick={start}
      >
        Prune {vm.name} now
      </button>
      <ErrorNotice error={prune.error} onDismiss={prune.clear} />
      {job ? <JobProgressView job={watch.updates.get(job.id) ?? job} /> : null}
    </div>
  );
}
