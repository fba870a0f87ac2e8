import type { Host } from '../api/api-types.js';
import { formatTime } from '../format/format-time.js';

/** How many hosts are online and offline, and each host with its state. Revoked hosts are counted apart. */
export function HostsSummary({ hosts }: { hosts: readonly Host[] }) {
  const active = hosts.filter((h) => !h.revoked);
  const online = active.filter((h) => h.online).length;
  return (
    <div>
      <p className="figures">
        <span className="figure" data-figure="hosts-online">
          <strong>{online}</strong> online
        </span>
        <span className="figure" data-figure="hosts-offline">
          <strong>{active.length - online}</strong> offline
        </span>
        {hosts.length > active.length ? (
          <span className="figure muted">{hosts.length - active.length} revoked</span>
        ) : null}
      </p>
      <ul className="plain-list">
        {active.map((h) => (
          <li key={h.id}>
            <span className={`dot ${h.online ? 'dot-on' : 'dot-off'}`} /> {h.name}{' '}
            <span className="muted">
              {h.online ? 'online' : `offline, last seen ${formatTime(h.lastSeenAt)}`} · {h.os} · agent {h.agentVersion}
            </span>
          </li>
        ))}
      </ul>
      {active.length === 0 ? <p className="muted">No host enrolled yet: enroll one on the Hosts page.</p> : null}
    </div>
  );
}
