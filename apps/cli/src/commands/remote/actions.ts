import type { JobView } from '@vrs/repository-server';
import { EXIT } from '../../exit-codes.js';
import { watchJob } from '../../format/job-watch.js';
import { formatSize } from '../../format/table.js';
import { call } from '../../remote/open-api.js';
import { resolveSnapshot, resolveVm } from '../../remote/resolve.js';
import { withApi } from './listings.js';
import { print } from './output.js';

/** Takes the job and whether the caller waited; prints it and returns the exit code (1 when it failed). */
function report(job: JobView, json: boolean | undefined, waited: boolean): number {
  print(json, job, () => {
    if (!waited) return `queued ${job.kind} job ${job.id} (follow it: vrs jobs --follow)\n`;
    if (job.state === 'succeeded') {
      return `${job.kind} ${job.id} succeeded: ${formatSize(job.progress.bytesSent)} moved${job.snapshotId ? `, snapshot ${job.snapshotId}` : ''}\n`;
    }
    return `${job.kind} ${job.id} ${job.state}${job.error ? `: ${job.error.message}\n  what to do: ${job.error.hint}` : ''}\n`;
  });
  return !waited || job.state === 'succeeded' ? EXIT.ok : EXIT.differ;
}

/** `vrs snapshot VM [--label L] [--wait]`: queues a snapshot; with --wait, follows it to the end. */
export function runSnapshot(vmRef: string, o: { label?: string; wait?: boolean; json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const vm = await resolveVm(c, vmRef);
    const job = await call(c.api.snapshots.take.mutate({ vmUuid: vm.uuid, ...(o.label ? { label: o.label } : {}) }));
    return report(o.wait ? await watchJob(c, job.id) : (job as JobView), o.json, o.wait === true);
  });
}

/** `vrs restore VM SNAPSHOT [--as-new NAME] [--power-off] [--with-config] [--wait]`. */
export function runRestore(
  vmRef: string,
  snapshotRef: string,
  o: { asNew?: string; powerOff?: boolean; withConfig?: boolean; wait?: boolean; json?: boolean },
): Promise<number> {
  return withApi(async (c) => {
    const vm = await resolveVm(c, vmRef);
    const snapshot = await resolveSnapshot(c, vm.uuid, snapshotRef);
    const job = await call(
      c.api.snapshots.restore.mutate({
        snapshotId: snapshot.id,
        asNew: o.asNew ?? null,
        powerOff: o.powerOff === true,
        withConfig: o.withConfig === true,
      }),
    );
    return report(o.wait ? await watchJob(c, job.id) : (job as JobView), o.json, o.wait === true);
  });
}

/** `vrs pin|unpin VM SNAPSHOT`: keeps a snapshot out of (or back in) retention. */
export function runPin(vmRef: string, snapshotRef: string, pinned: boolean, o: { json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const vm = await resolveVm(c, vmRef);
    const snapshot = await resolveSnapshot(c, vm.uuid, snapshotRef);
    const view = await call((pinned ? c.api.snapshots.pin : c.api.snapshots.unpin).mutate({ id: snapshot.id }));
    print(
      o.json,
      view,
      () =>
        `${view.archive} is ${pinned ? 'pinned: retention never removes it' : 'unpinned: retention applies again'}\n`,
    );
    return EXIT.ok;
  });
}

/** `vrs prune [VM] [--dry-run]`: applies retention now (every VM without one), or shows what it would remove. */
export function runPrune(vmRef: string | undefined, o: { dryRun?: boolean; json?: boolean }): Promise<number> {
  return withApi(async (c) => {
    const vms = vmRef ? [await resolveVm(c, vmRef)] : await call(c.api.vms.list.query());
    type Described = { archive: string; label: string };
    const results: (
      | { vm: string; uuid: string; job: string }
      | { vm: string; uuid: string; wouldRemove: Described[]; kept: number; pinned: number }
    )[] = [];
    for (const vm of vms) {
      if (o.dryRun) {
        const preview = await call(c.api.policies.previewPrune.query({ vmUuid: vm.uuid }));
        results.push({
          vm: vm.name,
          uuid: vm.uuid,
          wouldRemove: preview.pruned,
          kept: preview.kept.length,
          pinned: preview.pinned.length,
        });
      } else {
        const job = await call(c.api.vms.prune.mutate({ uuid: vm.uuid }));
        results.push({ vm: vm.name, uuid: vm.uuid, job: job.id });
      }
    }
    print(o.json, results, () =>
      results
        .map((r) =>
          'job' in r
            ? `${r.vm}: prune queued (job ${r.job})\n`
            : `${r.vm}: would remove ${r.wouldRemove.length} (keeps ${r.kept}, ${r.pinned} pinned)\n${r.wouldRemove.map((s) => `  - ${s.archive}  ${s.label}\n`).join('')}`,
        )
        .join(''),
    );
    return EXIT.ok;
  });
}
