/** A horizontal bar filled to `fraction` (0 to 1); null draws an indeterminate bar. */
export function ProgressBar({ fraction }: { fraction: number | null }) {
  const pct = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className={`progress-bar${pct === null ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={{ width: `${pct ?? 100}%` }} />
    </div>
  );
}
