import { useSession } from '../api/session-context.js';
import { UsersAdmin } from '../components/users-admin.js';

/** People who may log in (admins only: the server refuses the listing to viewers). */
export function UsersPage() {
  const { role } = useSession();
  if (role !== 'admin') {
    return (
      <>
        <h1>Users</h1>
        <p className="muted">Only admins see and manage users.</p>
      </>
    );
  }
  return <UsersAdmin />;
}
