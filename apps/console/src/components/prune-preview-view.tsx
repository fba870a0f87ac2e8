import type { PrunePreview, Vm } from '../api/api-types.js';
import { formatTime } from '../format/format-time.js';

type Entry = PrunePreview['pruned'][number];

function Entries({ entries, kind }: { entries: readonly Entry[]; kind: string }) {
  if (entries.length === 0) return <p className="muted small">none</p>;
  return (
    <ul className="plain-list small" data-list={kind}>
      {entries.map((e) => (
        <li key={e.archive} data-archive={e.archive} data-snapshot={e.id ?? ''}>
          {formatTime(e.createdAt)} · {e.label}
        </li>
      ))}
    </ul>
  );
}

/** What a retention would do to one VM's snapshots now: which go, which stay, which are pinned (never pruned). */
export function PrunePreviewView({ vm, preview }: { vm: Vm; preview: PrunePreview }) {
  return (
    <div className="card prune-preview" data-preview-vm={vm.uuid}>
      <h3>
        {vm.name}:{' '}
        <span className={preview.pruned.length ? 'not-ok' : 'ok'}>{preview.pruned.length} would be removed</span>,{' '}
        {preview.kept.length} kept, {preview.pinned.length} pinned
      </h3>
      <div className="grid-3">
        <div>
          <h4>Would be removed</h4>
          <Entries entries={preview.pruned} kind="pruned" />
        </div>
        <div>
          <h4>Kept</h4>
          <Entries entries={preview.kept} kind="kept" />
        </div>
        <div>
          <h4>Pinned (never pruned)</h4>
          <Entries entries={preview.pinned} kind="pinned" />
        </div>
      </div>
    </div>
  );
}
