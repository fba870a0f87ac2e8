import { formatDuration } from '../format/format-duration.js';
import type { RpoStatus } from '../format/rpo-status.js';

/** A VM's protection: the age of its last good snapshot, coloured against its RPO. */
export function RpoBadge({ status, ageSeconds }: { status: RpoStatus; ageSeconds: number | null }) {
  return (
    <span className={`badge rpo-${status}`} data-rpo={status}>
      {ageSeconds === null ? 'no snapshot yet' : `${formatDuration(ageSeconds)} ago`}
    </span>
  );
}
