import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { User } from '../api/api-types.js';
import { formatTime } from '../format/format-time.js';
import { useAction } from '../hooks/use-action.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ErrorNotice } from './error-notice.js';

/** One user: role, since when, locked out or not; set a new password (ends their sessions) or remove. */
export function UserRow({ user, onChanged }: { user: User; onChanged(): void }) {
  const api = useApi();
  const [password, setPassword] = useState('');
  const [removing, setRemoving] = useState(false);
  const setPw = useAction(() => api.users.setPassword.mutate({ name: user.name, password }));
  const remove = useAction(() => api.users.remove.mutate({ name: user.name }));
  return (
    <tr data-user={user.name}>
      <td>{user.name}</td>
      <td>
        <span className={`badge role-${user.role}`}>{user.role}</span>
      </td>
      <td>{formatTime(user.createdAt)}</td>
      <td>{user.locked ? <span className="not-ok">locked out</span> : 'no'}</td>
      <td>
        <input
          type="password"
          aria-label={`New password for ${user.name}`}
          placeholder="new password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />{' '}
        <button
          type="button"
          data-mutation="set-password"
          disabled={setPw.pending || password.length === 0}
          onClick={async () => {
            if (await setPw.run()) {
              setPassword('');
              onChanged();
            }
          }}
        >
          Set password
        </button>{' '}
        <button type="button" className="danger" data-mutation="remove-user" onClick={() => setRemoving(true)}>
          Remove
        </button>
        <ErrorNotice error={setPw.error} onDismiss={setPw.clear} />
        {removing ? (
          <ConfirmDialog
            title={`Remove ${user.name}`}
            confirmLabel="Remove"
            danger
            pending={remove.pending}
            onCancel={() => setRemoving(false)}
            onConfirm={async () => {
              if (await remove.run()) {
                setRemoving(false);
                onChanged();
              }
            }}
          >
            <p>{user.name} can no longer log in, and their sessions end now.</p>
            <ErrorNotice error={remove.error} />
          </ConfirmDialog>
        ) : null}
      </td>
    </tr>
  );
}
