import { type FormEvent, useState } from 'react';
import { logIn } from '../api/cookie-session.js';
import { ErrorNotice } from '../components/error-notice.js';

/** Name and password; on success the server sets the session cookie and `onLoggedIn` reconnects. */
export function LoginPage({ onLoggedIn }: { onLoggedIn(): void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await logIn(name, password);
      onLoggedIn();
    } catch (e) {
      setError(e);
      setPending(false);
    }
  };
  return (
    <main className="centered">
      <form className="login card" onSubmit={submit} aria-label="Log in">
        <h1>vrs console</h1>
        <p className="muted">VirtualBox Remote Snapshots</p>
        <label>
          Name
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
