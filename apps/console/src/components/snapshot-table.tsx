import type { Snapshot } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { formatBytes } from '../format/format-bytes.js';
import { formatTime } from '../format/format-time.js';

/** A VM's snapshots, newest first, with Pin/Unpin and Restore… for admins (viewers see no buttons). */
export function SnapshotTable(props: {
  snapshots: readonly Snapshot[];
  busy: boolean;
  onPin(snapshot: Snapshot, pinned: boolean): void;
  onRestore(snapshot: Snapshot): void;
}) {
  const { canChange } = useSession();
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Taken</th>
          <th>Label</th>
          <th>Consistency</th>
          <th>Method</th>
          <th>New data</th>
          <th>Stored</th>
          <th>Pinned</th>
          {canChange ? <th>Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.snapshots.map((s) => (
          <tr key={s.id} data-snapshot={s.id} data-archive={s.archive}>
            <td>{formatTime(s.createdAt)}</td>
            <td>{s.label}</td>
            <td>{s.consistency ?? 'unknown'}</td>
            <td>{s.captureMethod ?? '–'}</td>
            <td>{formatBytes(s.newBytes)}</td>
            <td>{formatBytes(s.stats?.deduplicatedSize)}</td>
            <td>{s.pinned ? 'pinned' : ''}</td>
            {canChange ? (
              <td className="actions">
                <button
                  type="button"
                  data-mutation={s.pinned ? 'unpin' : 'pin'}
                  disabled={props.busy}
                  onClick={() => props.onPin(s, !s.pinned)}
                >
                  {s.pinned ? 'Unpin' : 'Pin'}
                </button>
                <button type="button" data-mutation="restore" disabled={props.busy} onClick={() => props.onRestore(s)}>
                  Restore…
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
