import { useState } from 'react';
import { CancelJobButton } from '../components/cancel-job-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JobProgressView } from '../components/job-progress-view.js';
import { JobsTable } from '../components/jobs-table.js';
import { Section } from '../components/section.js';
import { mergeJobs } from '../hooks/merge-jobs.js';
import { useJobWatch } from '../hooks/use-job-watch.js';
import { useNames } from '../hooks/use-names.js';
import { useQuery } from '../hooks/use-query.js';

const ACTIVE: ReadonlySet<string> = new Set(['queued', 'running', 'committing']);

/** Live jobs with their progress (and Cancel for admins), then past jobs (all, or only failed or succeeded) with their errors and hints. */
export function JobsPage() {
  const listed = useQuery((api) => api.jobs.list.query({ limit: 200 }), []);
  const vms = useQuery((api) => api.vms.list.query(), []);
  const watch = useJobWatch();
  const nameOf = useNames();
  const [shown, setShown] = useState<'all' | 'failed' | 'succeeded'>('all');
  const all = mergeJobs(listed.data ?? [], watch.updates);
  const vmNames = new Map((vms.data ?? []).map((v) => [v.uuid, v.name]));
  const live = all.filter((j) => ACTIVE.has(j.state));
  return (
    <>
      <h1>Jobs</h1>
      <ErrorNotice error={listed.error ?? watch.error} />
      <Section title={`Live (${live.length})`}>
        {live.length === 0 ? <p className="muted">Nothing is running or queued.</p> : null}
        <ul className="plain-list job-list">
          {live.map((job) => (
            <li key={job.id} className="card">
              <div className="muted small">
                {job.vmUuid ? (vmNames.get(job.vmUuid) ?? job.vmUuid) : 'repository'} · attempt {job.attempts} · by{' '}
                {nameOf(job.requestedBy)}
              </div>
              <JobProgressView job={job} />
              <CancelJobButton job={job} />
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Past"
        actions={
          <label className="inline">
            Show
            <select data-filter="job-state" value={shown} onChange={(e) => setShown(e.target.value as typeof shown)}>
              <option value="all">all</option>
              <option value="failed">failed only</option>
              <option value="succeeded">succeeded only</option>
            </select>
          </label>
        }
      >
        <JobsTable
          jobs={all.filter((j) => !ACTIVE.has(j.state) && (shown === 'all' || j.state === shown))}
          vmNames={vmNames}
          nameOf={nameOf}
        />
      </Section>
    </>
  );
}
