/** How a VM stands against its RPO: green (fresh), amber (older than half the RPO), red (past it, or none). */
export type RpoStatus = 'green' | 'amber' | 'red';

/**
 * Takes the time of the last good snapshot (null: none yet), the RPO in minutes and now; returns the
 * status and the age in seconds. Amber starts when the snapshot is older than half the RPO, so that a
 * VM that will soon be late shows before it is.
 */
export function rpoStatus(
  last: string | null,
  rpoMinutes: number,
  now: number,
): { status: RpoStatus; ageSeconds: number | null } {
  if (!last) return { status: 'red', ageSeconds: null };
  const ageSeconds = Math.max(0, (now - Date.parse(last)) / 1000);
  const rpo = rpoMinutes * 60;
  return { status: ageSeconds > rpo ? 'red' : ageSeconds > rpo / 2 ? 'amber' : 'green', ageSeconds };
}
