import type { Job } from '../api/api-types.js';
import { formatTime } from '../format/format-time.js';
import { Link } from '../router/link.js';
import { JobProgressView } from './job-progress-view.js';

/** Jobs as progress cards: what, on which VM, when asked and by whom, and their live progress. */
export function JobList(props: {
  jobs: readonly Job[];
  vmNames: ReadonlyMap<string, string>;
  nameOf(ref: string): string;
  empty: string;
}) {
  const { jobs, vmNames, nameOf, empty } = props;
  if (jobs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain-list job-list">
      {jobs.map((job) => (
        <li key={job.id} className="card">
          <div className="muted small">
            {job.vmUuid ? <Link to={`/vms/${job.vmUuid}`}>{vmNames.get(job.vmUuid) ?? job.vmUuid}</Link> : 'repository'}{' '}
            · asked {formatTime(job.createdAt)} by {nameOf(job.requestedBy)}
          </div>
          <JobProgressView job={job} />
        </li>
      ))}
    </ul>
  );
}
