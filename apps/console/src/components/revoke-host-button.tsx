import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Host } from '../api/api-types.js';
import { useAction } from '../hooks/use-action.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ErrorNotice } from './error-notice.js';

/** For admins: revokes a host after a confirmation (its agent is cut off; its snapshots stay). */
export function RevokeHostButton({ host, onRevoked }: { host: Host; onRevoked(): void }) {
  const api = useApi();
  const [asking, setAsking] = useState(false);
  const revoke = useAction(() => api.hosts.revoke.mutate({ id: host.id }));
  const confirm = async () => {
    if (await revoke.run()) {
      setAsking(false);
      onRevoked();
    }
  };
  return (
    <>
      <button type="button" className="danger" data-mutation="revoke-host" onClick={() => setAsking(true)}>
        Revoke
      </button>
      {asking ? (
        <ConfirmDialog
          title={`Revoke ${host.name}`}
          confirmLabel="Revoke"
          danger
          pending={revoke.pending}
          onConfirm={confirm}
          onCancel={() => setAsking(false)}
        >
          <p>
            The agent on {host.name} is disconnected and its credential refused from now on. Its snapshots stay on the
            server and can still be restored elsewhere. Enrolling it again needs a new token.
          </p>
          <ErrorNotice error={revoke.error} />
        </ConfirmDialog>
      ) : null}
    </>
  );
}
