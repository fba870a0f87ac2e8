import type { Job } from '../api/api-types.js';
import { formatDuration } from '../format/format-duration.js';
import { formatTime } from '../format/format-time.js';
import { Link } from '../router/link.js';
import { JobErrorView } from './job-error-view.js';
import { JobStateBadge } from './job-state-badge.js';

/** Finished jobs: when, what, on which VM, how it ended, and for a failure its code, message and what to do. */
export function JobsTable(props: {
  jobs: readonly Job[];
  vmNames: ReadonlyMap<string, string>;
  nameOf(ref: string): string;
}) {
  if (props.jobs.length === 0) return <p className="muted">No such job yet.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Asked</th>
          <th>Kind</th>
          <th>VM</th>
          <th>State</th>
          <th>Took</th>
          <th>Attempts</th>
          <th>By</th>
          <th>Error and what to do</th>
        </tr>
      </thead>
      <tbody>
        {props.jobs.map((job) => (
          <tr key={job.id} data-job={job.id} data-state={job.state}>
            <td className="nowrap">{formatTime(job.createdAt)}</td>
            <td className="nowrap">{job.kind}</td>
            <td className="nowrap">
              {job.vmUuid ? <Link to={`/vms/${job.vmUuid}`}>{props.vmNames.get(job.vmUuid) ?? job.vmUuid}</Link> : '–'}
            </td>
            <td>
              <JobStateBadge state={job.state} />
            </td>
            <td>
              {job.startedAt && job.finishedAt
                ? formatDuration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000)
                : '–'}
            </td>
            <td>{job.attempts}</td>
            <td className="nowrap">{props.nameOf(job.requestedBy)}</td>
            <td>{job.error ? <JobErrorView error={job.error} /> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
