import type { Snapshot } from '../api/api-types.js';
import { CONSISTENCY_COLORS, CONSISTENCY_MEANING } from '../format/consistency-colors.js';
import { formatBytes } from '../format/format-bytes.js';
import { formatTime } from '../format/format-time.js';

const W = 760;
const H = 180;
const LEFT = 64;
const BOTTOM = 28;
const TOP = 14;

/**
 * A bar chart in plain SVG: one bar per snapshot, oldest on the left, its height the new data the snapshot
 * added (`newBytes`), its colour the consistency level; a pinned snapshot has a dot above its bar.
 */
export function SnapshotTimeline({ snapshots }: { snapshots: readonly Snapshot[] }) {
  if (snapshots.length === 0) return <p className="muted">No snapshot yet.</p>;
  const ordered = [...snapshots].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const max = Math.max(1, ...ordered.map((s) => s.newBytes));
  const plotW = W - LEFT - 8;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / ordered.length;
  const barW = Math.max(2, Math.min(48, step * 0.7));
  const first = ordered[0] as Snapshot;
  const last = ordered[ordered.length - 1] as Snapshot;
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="New data per snapshot">
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + plotH} className="axis" />
        <line x1={LEFT} y1={TOP + plotH} x2={W - 8} y2={TOP + plotH} className="axis" />
        <text x={LEFT - 6} y={TOP + 4} textAnchor="end" className="tick">
          {formatBytes(max)}
        </text>
        <text x={LEFT - 6} y={TOP + plotH} textAnchor="end" className="tick">
          0
        </text>
        {ordered.map((s, i) => {
          const h = Math.max(2, (s.newBytes / max) * plotH);
          const x = LEFT + i * step + (step - barW) / 2;
          const color = CONSISTENCY_COLORS[s.consistency ?? 'unknown'];
          return (
            <g key={s.id} data-snapshot={s.id}>
              <rect x={x} y={TOP + plotH - h} width={barW} height={h} fill={color}>
                <title>
                  {`${s.label} · ${formatTime(s.createdAt)} · ${formatBytes(s.newBytes)} new · ${s.consistency ?? 'unknown'}${s.pinned ? ' · pinned' : ''}`}
                </title>
              </rect>
              {s.pinned ? <circle cx={x + barW / 2} cy={TOP + plotH - h - 6} r={3.5} className="pin-dot" /> : null}
            </g>
          );
        })}
        <text x={LEFT} y={H - 8} className="tick">
          {formatTime(first.createdAt)}
        </text>
        <text x={W - 8} y={H - 8} textAnchor="end" className="tick">
          {formatTime(last.createdAt)}
        </text>
      </svg>
      <figcaption className="legend">
        New data per snapshot. Consistency:{' '}
        {(Object.keys(CONSISTENCY_COLORS) as (keyof typeof CONSISTENCY_COLORS)[]).map((k) => (
          <span key={k} className="legend-item">
            <span className="swatch" style={{ background: CONSISTENCY_COLORS[k] }} /> {CONSISTENCY_MEANING[k]}
          </span>
        ))}
        <span className="legend-item">
          <span className="swatch pin-swatch" /> pinned
        </span>
      </figcaption>
    </figure>
  );
}
