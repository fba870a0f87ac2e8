import type { Job } from '../api/api-types.js';
import { formatBytes } from '../format/format-bytes.js';
import { formatDuration } from '../format/format-duration.js';
import { leadingBytes } from '../format/leading-bytes.js';
import { JobErrorView } from './job-error-view.js';
import { JobStateBadge } from './job-state-badge.js';
import { ProgressBar } from './progress-bar.js';

const ACTIVE: ReadonlySet<string> = new Set(['queued', 'running', 'committing']);

/**
 * Shows one job as it runs: state, phase, a bar of the phase's leading counter against the total (striped
 * while the total is unknown), the rate and ETA; when it ended, how much it read and sent, and the error with
 * its hint when it failed.
 */
export function JobProgressView({ job }: { job: Job }) {
  const p = job.progress;
  const done = leadingBytes(p);
  const active = ACTIVE.has(job.state);
  const fraction = p.bytesTotal > 0 ? done / p.bytesTotal : null;
  return (
    <div className="job-progress" data-job={job.id} data-state={job.state}>
      <div className="job-progress-head">
        <strong>{job.kind}</strong> <JobStateBadge state={job.state} /> <span className="muted">phase</span>{' '}
        <span className="job-phase">{p.phase}</span>
        {job.label ? <span className="muted"> · {job.label}</span> : null}
      </div>
      {active || job.state === 'succeeded' ? <ProgressBar fraction={active ? fraction : 1} /> : null}
      {active ? (
        <div className="job-progress-figures">
          <span>
            {p.bytesTotal > 0 ? `${formatBytes(done)} of ${formatBytes(p.bytesTotal)}` : 'size not known yet'}
          </span>
          <span className="job-rate">rate {formatBytes(p.bytesPerSecond)}/s</span>
          <span className="job-eta">ETA {formatDuration(p.etaSeconds)}</span>
        </div>
      ) : p.bytesTotal > 0 ? (
        <div className="job-progress-figures">
          <span>
            read {formatBytes(p.bytesRead)} of {formatBytes(p.bytesTotal)}
          </span>
          <span>sent {formatBytes(p.bytesSent)}</span>
        </div>
      ) : null}
      {job.error ? <JobErrorView error={job.error} /> : null}
    </div>
  );
}
