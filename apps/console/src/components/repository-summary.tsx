import type { Host, RepositoryStats } from '../api/api-types.js';
import { formatBytes } from '../format/format-bytes.js';
import { repositoryLabel } from '../format/repository-label.js';
import { ProgressBar } from './progress-bar.js';

/** The data disk's use, and each borg repository's stored size, original size and dedup ratio (named by host). */
export function RepositorySummary({ stats, hosts }: { stats: RepositoryStats; hosts: readonly Host[] }) {
  const hostName = new Map(hosts.map((h) => [h.id, h.name]));
  const used = stats.disk.total - stats.disk.free;
  return (
    <div>
      <p>
        Data disk: <strong>{formatBytes(used)}</strong> used of {formatBytes(stats.disk.total)} (
        {formatBytes(stats.disk.free)} free)
      </p>
      <ProgressBar fraction={stats.disk.total > 0 ? used / stats.disk.total : 0} />
      <table className="table">
        <thead>
          <tr>
            <th>Repository</th>
            <th>Snapshots</th>
            <th>Stored (deduplicated, compressed)</th>
            <th>Original size</th>
            <th>Dedup ratio</th>
          </tr>
        </thead>
        <tbody>
          {stats.repositories.map((r) => (
            <tr key={r.id} data-repository={r.id}>
              <td title={r.name}>{repositoryLabel(r, hostName)}</td>
              <td>{r.snapshots}</td>
              <td data-figure="stored">{formatBytes(r.storedSize)}</td>
              <td>{formatBytes(r.originalSize)}</td>
              <td data-figure="dedup">{r.dedupRatio === null ? '–' : `${r.dedupRatio.toFixed(1)} ×`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {stats.repositories.length === 0 ? (
        <p className="muted">No repository yet: one is made per enrolled host.</p>
      ) : null}
    </div>
  );
}
