import { useQuery } from '../hooks/use-query.js';
import { AddUserForm } from './add-user-form.js';
import { ErrorNotice } from './error-notice.js';
import { Section } from './section.js';
import { UserRow } from './user-row.js';

/** The users list with add, set password and remove (rendered for admins only). */
export function UsersAdmin() {
  const users = useQuery((api) => api.users.list.query(), []);
  return (
    <>
      <h1>Users</h1>
      <Section title="Add a user">
        <AddUserForm onAdded={users.reload} />
      </Section>
      <Section title="Users">
        <ErrorNotice error={users.error} />
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Since</th>
              <th>Locked</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <UserRow key={u.id} user={u} onChanged={users.reload} />
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
