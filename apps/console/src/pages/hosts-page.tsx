import { useSession } from '../api/session-context.js';
import { EnrollForm } from '../components/enroll-form.js';
import { ErrorNotice } from '../components/error-notice.js';
import { RevokeHostButton } from '../components/revoke-host-button.js';
import { Section } from '../components/section.js';
import { formatTime } from '../format/format-time.js';
import { useQuery } from '../hooks/use-query.js';

/** Enrolled hosts with their state; admins enroll new ones (token and command) and revoke. */
export function HostsPage() {
  const { canChange } = useSession();
  const hosts = useQuery((api) => api.hosts.list.query(), [], { refreshMs: 10_000 });
  return (
    <>
      <h1>Hosts</h1>
      {canChange ? (
        <Section title="Enroll a host">
          <EnrollForm onCreated={hosts.reload} />
        </Section>
      ) : null}
      <Section title="Enrolled hosts">
        <ErrorNotice error={hosts.error} />
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>State</th>
              <th>OS</th>
              <th>Agent</th>
              <th>VirtualBox</th>
              <th>Enrolled</th>
              <th>Last seen</th>
              {canChange ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {(hosts.data ?? []).map((h) => (
              <tr key={h.id} data-host={h.id}>
                <td>{h.name}</td>
                <td>
                  {h.revoked ? (
                    <span className="badge state-failed">revoked</span>
                  ) : (
                    <>
                      <span className={`dot ${h.online ? 'dot-on' : 'dot-off'}`} /> {h.online ? 'online' : 'offline'}
                    </>
                  )}
                </td>
                <td>{h.os}</td>
                <td>{h.agentVersion}</td>
                <td>{h.virtualBoxVersion ?? '–'}</td>
                <td>{formatTime(h.enrolledAt)}</td>
                <td>{formatTime(h.lastSeenAt)}</td>
                {canChange ? (
                  <td>{h.revoked ? null : <RevokeHostButton host={h} onRevoked={hosts.reload} />}</td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
