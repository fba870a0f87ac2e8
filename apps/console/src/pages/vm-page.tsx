import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Job, Snapshot } from '../api/api-types.js';
import { useSession } from '../api/session-context.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JobList } from '../components/job-list.js';
import { JobProgressView } from '../components/job-progress-view.js';
import { JobsTable } from '../components/jobs-table.js';
import { RestoreDialog } from '../components/restore-dialog.js';
import { Section } from '../components/section.js';
import { SnapshotTable } from '../components/snapshot-table.js';
import { SnapshotTimeline } from '../components/snapshot-timeline.js';
import { VmFacts } from '../components/vm-facts.js';
import { mergeJobs } from '../hooks/merge-jobs.js';
import { useAction } from '../hooks/use-action.js';
import { useJobWatch } from '../hooks/use-job-watch.js';
import { useNames } from '../hooks/use-names.js';
import { useNow } from '../hooks/use-now.js';
import { useQuery } from '../hooks/use-query.js';

const ACTIVE: ReadonlySet<string> = new Set(['queued', 'running', 'committing']);

/**
 * One VM: its facts, the timeline of new data per snapshot, its snapshots with pin/unpin and restore, Snapshot
 * now, and the live progress of the job just started and of the VM's other jobs.
 */
export function VmPage({ uuid }: { uuid: string }) {
  const api = useApi();
  const { canChange } = useSession();
  const now = useNow();
  const vm = useQuery((a) => a.vms.get.query({ uuid }), [uuid], { refreshMs: 3000 });
  const snapshots = useQuery((a) => a.snapshots.list.query({ vmUuid: uuid }), [uuid]);
  const jobs = useQuery((a) => a.jobs.list.query({ vmUuid: uuid, limit: 20 }), [uuid]);
  const hosts = useQuery((a) => a.hosts.list.query(), []);
  const policies = useQuery((a) => a.policies.list.query(), []);
  const watch = useJobWatch();
  const nameOf = useNames();
  const [current, setCurrent] = useState<Job | null>(null);
  const [restoring, setRestoring] = useState<Snapshot | null>(null);
  const take = useAction(() => api.snapshots.take.mutate({ vmUuid: uuid }));
  const pin = useAction(async (s: Snapshot, pinned: boolean) => {
    await (pinned ? api.snapshots.pin : api.snapshots.unpin).mutate({ id: s.id });
    snapshots.reload();
  });

  const vmJobs = mergeJobs(jobs.data ?? [], watch.updates, (j) => j.vmUuid === uuid);
  const live = current ? (watch.updates.get(current.id) ?? current) : null;
  const finishedCount = vmJobs.filter((j) => j.state === 'succeeded').length;
  const { reload: reloadSnapshots } = snapshots;
  const { reload: reloadVm } = vm;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a job of this VM that succeeded changed its snapshots.
  useEffect(() => {
    reloadSnapshots();
    reloadVm();
  }, [finishedCount]);

  if (!vm.data) return vm.error ? <ErrorNotice error={vm.error} /> : <p className="muted">Loading…</p>;
  const host = hosts.data?.find((h) => h.id === vm.data?.hostId);
  const vmNames = new Map([[uuid, vm.data.name]]);
  const snapshotNow = async () => {
    const job = await take.run();
    if (job) setCurrent(job);
  };
  return (
    <>
      <h1>
        VM <span data-vm-name>{vm.data.name}</span>
      </h1>
      <ErrorNotice error={vm.error ?? snapshots.error ?? jobs.error ?? watch.error} />
      <div className="grid-2">
        <Section
          title="VM"
          actions={
            canChange ? (
              <button
                type="button"
                className="primary"
                data-mutation="snapshot-now"
                disabled={take.pending}
                onClick={snapshotNow}
              >
                Snapshot now
              </button>
            ) : null
          }
        >
          <VmFacts vm={vm.data} host={host} policies={policies.data ?? []} now={now} onChanged={vm.reload} />
          <ErrorNotice error={take.error} onDismiss={take.clear} />
        </Section>
        <Section title="Current job">
          {live ? <JobProgressView job={live} /> : <p className="muted">Nothing started from this page yet.</p>}
        </Section>
      </div>
      <Section title="Snapshot timeline">
        <SnapshotTimeline snapshots={snapshots.data ?? []} />
      </Section>
      <Section title={`Snapshots (${snapshots.data?.length ?? 0})`}>
        <ErrorNotice error={pin.error} onDismiss={pin.clear} />
        <SnapshotTable
          snapshots={snapshots.data ?? []}
          busy={pin.pending}
          onPin={(s, pinned) => void pin.run(s, pinned)}
          onRestore={setRestoring}
        />
      </Section>
      <Section title="Jobs of this VM">
        <JobList
          jobs={vmJobs.filter((j) => ACTIVE.has(j.state))}
          vmNames={vmNames}
          nameOf={nameOf}
          empty="Nothing running or queued for this VM."
        />
        <JobsTable jobs={vmJobs.filter((j) => !ACTIVE.has(j.state))} vmNames={vmNames} nameOf={nameOf} />
      </Section>
      {restoring ? (
        <RestoreDialog
          vm={vm.data}
          snapshot={restoring}
          onClose={() => setRestoring(null)}
          onStarted={(job) => {
            setRestoring(null);
            setCurrent(job);
          }}
        />
      ) : null}
    </>
  );
}
