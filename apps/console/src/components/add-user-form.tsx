import { type FormEvent, useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useAction } from '../hooks/use-action.js';
import { ErrorNotice } from './error-notice.js';

/** Adds a person who may log in: a name, a role, and a password of at least 12 characters. */
export function AddUserForm({ onAdded }: { onAdded(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [role, setRole] = useState<'admin' | 'viewer'>('viewer');
  const [password, setPassword] = useState('');
  const add = useAction(() => api.users.add.mutate({ name: name.trim(), role, password }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add.run()) {
      setName('');
      setPassword('');
      onAdded();
    }
  };
  return (
    <form onSubmit={submit} className="form-row" aria-label="Add a user">
      <label>
        Name
        <input name="userName" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'viewer')}>
          <option value="viewer">viewer (sees everything, changes nothing)</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <label>
        Password (12 characters or more)
        <input
          name="userPassword"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      <button type="submit" className="primary" data-mutation="add-user" disabled={add.pending}>
        Add user
      </button>
      <ErrorNotice error={add.error} onDismiss={add.clear} />
    </form>
  );
}
