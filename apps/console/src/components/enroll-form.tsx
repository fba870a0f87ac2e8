import { type FormEvent, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Outputs } from '../api/api-types.js';
import { formatTime } from '../format/format-time.js';
import { useAction } from '../hooks/use-action.js';
import { CopyButton } from './copy-button.js';
import { ErrorNotice } from './error-notice.js';

/** For admins: makes a one-time enrollment token for a host name and shows the exact `vrs-agent enroll …` line. */
export function EnrollForm({ onCreated }: { onCreated(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [ttl, setTtl] = useState('60');
  const [token, setToken] = useState<Outputs['hosts']['createToken'] | null>(null);
  const create = useAction(() => api.hosts.createToken.mutate({ name: name.trim(), ttlSeconds: Number(ttl) * 60 }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await create.run();
    if (made) {
      setToken(made);
      onCreated();
    }
  };
  return (
    <form onSubmit={submit} className="enroll-form" aria-label="Enroll a host">
      <div className="form-row">
        <label>
          Host name
          <input name="hostName" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Token valid for (minutes)
          <input name="ttlMinutes" type="number" min={1} value={ttl} onChange={(e) => setTtl(e.target.value)} />
        </label>
        <button
          type="submit"
          className="primary"
          data-mutation="create-token"
          disabled={create.pending || !name.trim()}
        >
          Create enrollment token
        </button>
      </div>
      <ErrorNotice error={create.error} onDismiss={create.clear} />
      {token ? (
        <div className="card" data-enroll-command>
          <p>
            Run this on the host, as the user that runs VirtualBox (the token works once, until{' '}
            {formatTime(token.expiresAt)}):
          </p>
          <pre className="command">{token.command}</pre>
          <CopyButton text={token.command} />
        </div>
      ) : null}
    </form>
  );
}
