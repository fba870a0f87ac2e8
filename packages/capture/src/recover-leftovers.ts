import { rm } from 'node:fs/promises';
import {
  controlVm,
  deleteSnapshot,
  flattenSnapshots,
  listSnapshots,
  listVms,
  setExtraData,
  showVmInfo,
  startVm,
  type VirtualBox,
} from '@vrs/virtualbox';
import { execa } from 'execa';
import type { CaptureJournal, Intent } from './journal.js';
import { makeDeleteSubvolumeArgv } from './providers/btrfs-snapshot.js';
import { FORCE_WITHOUT_STATE } from './providers/vbox-transient.js';
import { makeDeleteShadowScript, type PowerShellRunner } from './providers/vss.js';
import { thaw } from './quiesce.js';

/** What a recovery did. */
export interface RecoveryReport {
  undone: Intent['kind'][];
  failed: { kind: Intent['kind']; error: string }[];
  orphanTransientSnapshots: number;
}

/**
 * Takes the driver, the journal and (on Windows) the PowerShell runner; undoes every capture step a dead
 * agent left: thaws frozen guests, resumes VMs it paused, starts VMs it saved, merges its transient
 * snapshots (also `vrs-transient-*` snapshots the journal does not know), deletes clones, btrfs snapshots
 * and shadow copies. Idempotent: run it at every agent start. An undo that fails stays in the journal.
 */
export async function recoverLeftovers(
  vbox: VirtualBox,
  journal: CaptureJournal,
  deps: { powershell?: PowerShellRunner } = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = { undone: [], failed: [], orphanTransientSnapshots: 0 };
  // Thaw before resuming, resume before merging: the reverse order of the capture steps.
  const order: Intent['kind'][] = [
    'frozen',
    'paused',
    'saved',
    'transient-snapshot',
    'clone',
    'btrfs-snapshot',
    'shadow',
  ];
  const open = (await journal.open()).sort((a, b) => order.indexOf(a.intent.kind) - order.indexOf(b.intent.kind));
  for (const { id, intent } of open) {
    try {
      await undo(vbox, intent, deps);
      await journal.done(id);
      report.undone.push(intent.kind);
    } catch (error) {
      report.failed.push({ kind: intent.kind, error: (error as Error).message });
    }
  }
  report.orphanTransientSnapshots = await mergeOrphans(vbox);
  await journal.compact();
  return report;
}

async function undo(vbox: VirtualBox, intent: Intent, deps: { powershell?: PowerShellRunner }): Promise<void> {
  switch (intent.kind) {
    case 'frozen':
      return thaw(vbox, intent.vm, {
        username: intent.username,
        ...(intent.passwordFile ? { passwordFile: intent.passwordFile } : {}),
        command: intent.thaw,
      });
    case 'paused':
      if ((await showVmInfo(vbox.run, intent.vm, vbox.dialect)).state === 'paused')
        await controlVm(vbox.run, intent.vm, 'resume');
      return;
    case 'saved':
      if ((await showVmInfo(vbox.run, intent.vm, vbox.dialect)).state === 'saved')
        await startVm(vbox.run, intent.vm, 'headless');
      return;
    case 'transient-snapshot': {
      const { snapshots } = await listSnapshots(vbox.run, intent.vm, vbox.dialect);
      for (const s of flattenSnapshots(snapshots).filter((n) => n.name === intent.name))
        await deleteSnapshot(vbox.run, intent.vm, s.uuid);
      await setExtraData(vbox.run, intent.vm, FORCE_WITHOUT_STATE, intent.forceWithoutState);
      return;
    }
    case 'clone':
      await rm(intent.dir, { recursive: true, force: true });
      return;
    case 'btrfs-snapshot':
      await execa('btrfs', makeDeleteSubvolumeArgv(intent.path), { reject: false });
      return;
    case 'shadow':
      if (!deps.powershell) throw new Error('a shadow copy is left, and this host has no PowerShell runner');
      await deps.powershell(makeDeleteShadowScript(intent.id));
      return;
  }
}

/** Merges `vrs-transient-*` snapshots of every VM (left by a crash before the journal was written). */
async function mergeOrphans(vbox: VirtualBox): Promise<number> {
  let merged = 0;
  for (const vm of await listVms(vbox.run)) {
    const { snapshots } = await listSnapshots(vbox.run, vm.uuid, vbox.dialect).catch(() => ({ snapshots: [] }));
    for (const s of flattenSnapshots(snapshots).filter((n) => n.name.startsWith('vrs-transient-'))) {
      await deleteSnapshot(vbox.run, vm.uuid, s.uuid);
      merged++;
    }
  }
  return merged;
}
