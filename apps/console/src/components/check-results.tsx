import type { CheckResult } from '../api/api-types.js';
import { formatDuration } from '../format/format-duration.js';
import { formatTime } from '../format/format-time.js';

/** `borg check` results, newest first: when, which repository, passed or not, and borg's output. */
export function CheckResults({
  checks,
  label,
}: {
  checks: readonly CheckResult[];
  label(repositoryId: string): string;
}) {
  if (checks.length === 0)
    return (
      <p className="muted">No check has run yet. The scheduler runs them periodically; an admin can run one now.</p>
    );
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Started</th>
          <th>Took</th>
          <th>Repository</th>
          <th>Result</th>
          <th>borg output</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => (
          <tr key={c.id} data-check={c.id} data-ok={c.ok ? 'yes' : 'no'}>
            <td className="nowrap">{formatTime(c.startedAt)}</td>
            <td>{formatDuration((Date.parse(c.finishedAt) - Date.parse(c.startedAt)) / 1000)}</td>
            <td>{label(c.repositoryId)}</td>
            <td>
              {c.ok ? (
                <span className="badge state-succeeded">passed</span>
              ) : (
                <span className="badge state-failed">problems found</span>
              )}
            </td>
            <td>
              {c.output.trim() ? (
                <details>
                  <summary>output</summary>
                  <pre className="output">{c.output}</pre>
                </details>
              ) : (
                <span className="muted">none</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
