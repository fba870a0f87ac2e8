import { useApi } from '../api/api-context.js';
import type { Job } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { useAction } from '../hooks/use-action.js';
import { ErrorNotice } from './error-notice.js';

/** Cancel for an admin on a job that has not ended; nothing for viewers. */
export function CancelJobButton({ job }: { job: Job }) {
  const api = useApi();
  const { canChange } = useSession();
  const cancel = useAction(() => api.jobs.cancel.mutate({ id: job.id }));
  if (!canChange) return null;
  return (
    <>
      <button type="button" data-mutation="cancel-job" disabled={cancel.pending} onClick={() => void cancel.run()}>
        Cancel job
      </button>
      <ErrorNotice error={cancel.error} onDismiss={cancel.clear} />
    </>
  );
}
