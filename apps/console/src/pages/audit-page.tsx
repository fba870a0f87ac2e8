import { useState } from 'react';
import { ErrorNotice } from '../components/error-notice.js';
import { Section } from '../components/section.js';
import { formatTime } from '../format/format-time.js';
import { useNames } from '../hooks/use-names.js';
import { useQuery } from '../hooks/use-query.js';

const PAGE = 100;

/** Every change anyone made, newest first, a hundred at a time. */
export function AuditPage() {
  const [before, setBefore] = useState<string[]>([]);
  const nameOf = useNames();
  const cursor = before[before.length - 1];
  const entries = useQuery(
    (api) => api.audit.list.query({ limit: PAGE, ...(cursor ? { before: cursor } : {}) }),
    [cursor],
  );
  const rows = entries.data ?? [];
  const last = rows[rows.length - 1];
  return (
    <>
      <h1>Audit log</h1>
      <Section
        title={cursor ? `Entries before ${formatTime(cursor)}` : 'Latest entries'}
        actions={
          <>
            <button type="button" disabled={before.length === 0} onClick={() => setBefore((b) => b.slice(0, -1))}>
              Newer
            </button>{' '}
            <button
              type="button"
              disabled={rows.length < PAGE || !last}
              onClick={() => last && setBefore((b) => [...b, last.at])}
            >
              Older
            </button>
          </>
        }
      >
        <ErrorNotice error={entries.error} />
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-audit={e.action}>
                <td className="nowrap">{formatTime(e.at)}</td>
                <td>{nameOf(e.actor)}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td title={e.target}>{nameOf(e.target)}</td>
                <td className="details">{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !entries.loading ? <p className="muted">Nothing recorded yet.</p> : null}
      </Section>
    </>
  );
}
