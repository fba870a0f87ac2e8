import { useSession } from '../api/session-context.js';
import { Link } from '../router/link.js';

const PAGES: { to: string; label: string; adminOnly?: boolean }[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/policies', label: 'Policies' },
  { to: '/hosts', label: 'Hosts' },
  { to: '/repository', label: 'Repository' },
  { to: '/audit', label: 'Audit log' },
  { to: '/users', label: 'Users', adminOnly: true },
];

/** The console's top bar: the pages (Users only for admins), who is logged in, and Log out. */
export function NavBar({ path }: { path: string }) {
  const session = useSession();
  const current = (to: string) => (to === '/' ? path === '/' || path.startsWith('/vms/') : path.startsWith(to));
  return (
    <header className="nav-bar">
      <span className="brand">vrs</span>
      <nav>
        {PAGES.filter((p) => !p.adminOnly || session.role === 'admin').map((p) => (
          <Link key={p.to} to={p.to} className={current(p.to) ? 'nav-link current' : 'nav-link'}>
            {p.label}
          </Link>
        ))}
      </nav>
      <span className="who">
        {session.name} <span className={`badge role-${session.role}`}>{session.role}</span>
        {session.canChange ? null : <span className="muted"> read-only</span>}
      </span>
      <button type="button" onClick={session.logOut}>
        Log out
      </button>
    </header>
  );
}
