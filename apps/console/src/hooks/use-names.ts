import { useSession } from '../api/session-context.js';
import { shortId } from '../format/short-id.js';
import { useQuery } from './use-query.js';

/**
 * Returns a function that turns the server's references (`user:<id>`, `host:<id>`, `vm:<id>`, `policy:<id>`,
 * `snapshot:<id>`, `system`, …) into what people call them: `user admin`, `host laptop`, `VM Fedora 41`. Users are
 * listed for admins only (the server refuses viewers), so a viewer sees other users by short id.
 */
export function useNames(): (ref: string) => string {
  const session = useSession();
  const hosts = useQuery((api) => api.hosts.list.query(), []);
  const vms = useQuery((api) => api.vms.list.query(), []);
  const policies = useQuery((api) => api.policies.list.query(), []);
  const users = useQuery(
    (api) => (session.role === 'admin' ? api.users.list.query() : Promise.resolve([])),
    [session.role],
  );
  const names = new Map<string, string>([[`user:${session.id}`, `user ${session.name}`]]);
  for (const u of users.data ?? []) names.set(`user:${u.id}`, `user ${u.name}`);
  for (const h of hosts.data ?? []) names.set(`host:${h.id}`, `host ${h.name}`);
  for (const v of vms.data ?? []) names.set(`vm:${v.uuid}`, `VM ${v.name}`);
  for (const p of policies.data ?? []) names.set(`policy:${p.id}`, `policy ${p.name}`);
  return (ref: string) => {
    const known = names.get(ref);
    if (known) return known;
    if (ref === 'system') return 'system (scheduler)';
    const [kind, ...rest] = ref.split(':');
    const id = rest.join(':');
    return /^[0-9a-f-]{36}$/.test(id) ? `${kind} ${shortId(id)}` : ref.replace(':', ' ');
  };
}
