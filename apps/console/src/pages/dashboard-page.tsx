import { useEffect } from 'react';
import { ErrorNotice } from '../components/error-notice.js';
import { HostsSummary } from '../components/hosts-summary.js';
import { JobList } from '../components/job-list.js';
import { RepositorySummary } from '../components/repository-summary.js';
import { RpoLegend } from '../components/rpo-legend.js';
import { Section } from '../components/section.js';
import { VmProtectionTable } from '../components/vm-protection-table.js';
import { mergeJobs } from '../hooks/merge-jobs.js';
import { useJobWatch } from '../hooks/use-job-watch.js';
import { useNames } from '../hooks/use-names.js';
import { useNow } from '../hooks/use-now.js';
import { useQuery } from '../hooks/use-query.js';

const ACTIVE = ['queued', 'running', 'committing'] as const;

/** At a glance: hosts online and offline, every VM against its RPO, the repositories, and the running jobs live. */
export function DashboardPage() {
  const now = useNow();
  const hosts = useQuery((api) => api.hosts.list.query(), [], { refreshMs: 10_000 });
  const vms = useQuery((api) => api.vms.list.query(), [], { refreshMs: 10_000 });
  const stats = useQuery((api) => api.repository.stats.query(), [], { refreshMs: 30_000 });
  const running = useQuery((api) => api.jobs.list.query({ state: [...ACTIVE] }), []);
  const watch = useJobWatch();
  const nameOf = useNames();
  const jobs = mergeJobs(running.data ?? [], watch.updates, (j) => (ACTIVE as readonly string[]).includes(j.state));
  const finished = [...watch.updates.values()].filter((j) => j.state === 'succeeded').length;
  const { reload: reloadVms } = vms;
  const { reload: reloadStats } = stats;
  // A snapshot that just succeeded changes the VM's age and the repository's figures.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the count of finished jobs changes.
  useEffect(() => {
    if (finished === 0) return;
    reloadVms();
    reloadStats();
  }, [finished]);
  const vmNames = new Map((vms.data ?? []).map((v) => [v.uuid, v.name]));
  return (
    <>
      <h1>Dashboard</h1>
      <div className="grid-2">
        <Section title="Hosts">
          <ErrorNotice error={hosts.error} />
          {hosts.data ? <HostsSummary hosts={hosts.data} /> : null}
        </Section>
        <Section title="Repository">
          <ErrorNotice error={stats.error} />
          {stats.data ? (
            <RepositorySummary stats={stats.data} hosts={hosts.data ?? []} />
          ) : (
            <p className="muted">Asking borg…</p>
          )}
        </Section>
      </div>
      <Section title="VMs">
        <RpoLegend />
        <ErrorNotice error={vms.error} />
        {vms.data ? <VmProtectionTable vms={vms.data} hosts={hosts.data ?? []} now={now} /> : null}
      </Section>
      <Section title="Running jobs">
        <ErrorNotice error={running.error ?? watch.error} />
        <JobList jobs={jobs} vmNames={vmNames} nameOf={nameOf} empty="Nothing is running." />
      </Section>
    </>
  );
}
