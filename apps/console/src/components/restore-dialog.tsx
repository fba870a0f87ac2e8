import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { Job, Snapshot, Vm } from '../api/api-types.js';
import { formatTime } from '../format/format-time.js';
import { OFF_STATES, SAVED_STATES } from '../format/vm-power.js';
import { useAction } from '../hooks/use-action.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ErrorNotice } from './error-notice.js';

/**
 * Asks how to restore a snapshot and confirms it before it starts. In place: shows the precondition (the
 * VM powered off) against the VM's state now; a running VM needs "power it off first" ticked. As a new VM:
 * the original is not touched. Calls `onStarted` with the queued job.
 */
export function RestoreDialog(props: { vm: Vm; snapshot: Snapshot; onStarted(job: Job): void; onClose(): void }) {
  const api = useApi();
  const { vm, snapshot } = props;
  const [mode, setMode] = useState<'in-place' | 'as-new'>('in-place');
  const [name, setName] = useState(`${vm.name} restored`);
  const [powerOff, setPowerOff] = useState(false);
  const [withConfig, setWithConfig] = useState(false);
  const restore = useAction(() =>
    api.snapshots.restore.mutate({
      snapshotId: snapshot.id,
      asNew: mode === 'as-new' ? name.trim() : null,
      powerOff: mode === 'in-place' && powerOff,
      withConfig: mode === 'in-place' && withConfig,
    }),
  );
  const off = OFF_STATES.has(vm.state);
  const saved = SAVED_STATES.has(vm.state);
  const ready = mode === 'as-new' ? name.trim().length > 0 : off || (powerOff && !saved);
  const confirm = async () => {
    const job = await restore.run();
    if (job) props.onStarted(job);
  };
  return (
    <ConfirmDialog
      title={`Restore ${vm.name}`}
      confirmLabel={mode === 'in-place' ? 'Restore in place' : 'Restore as new VM'}
      confirmDisabled={!ready}
      pending={restore.pending}
      danger={mode === 'in-place'}
      onConfirm={confirm}
      onCancel={props.onClose}
    >
      <p>
        Snapshot <strong>{snapshot.label}</strong> of {formatTime(snapshot.createdAt)} (
        {snapshot.consistency ?? 'unknown'} consistency).
      </p>
      <fieldset>
        <label>
          <input type="radio" name="mode" checked={mode === 'in-place'} onChange={() => setMode('in-place')} /> In
          place: replace this VM's disks with the snapshot (only the blocks that differ move)
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'as-new'} onChange={() => setMode('as-new')} /> As a new VM
          (the original is not touched)
        </label>
      </fieldset>
      {mode === 'in-place' ? (
        <div className="preconditions" data-precondition="powered-off" data-met={off ? 'yes' : 'no'}>
          <p>
            Precondition: <strong>VM powered off</strong> —{' '}
            {off ? (
              <span className="ok">met (the VM is {vm.state})</span>
            ) : (
              <span className="not-ok">not met: the VM is {vm.state}</span>
            )}
          </p>
          {!off && !saved ? (
            <label>
              <input
                type="checkbox"
                name="powerOff"
                checked={powerOff}
                onChange={(e) => setPowerOff(e.target.checked)}
              />{' '}
              Power it off first (the agent presses the ACPI power button, and powers it off hard if the guest has not
              shut down after a minute). Unsaved work in the guest is lost.
            </label>
          ) : null}
          {saved ? (
            <p className="not-ok">
              The VM has a saved state; powering it off would discard the saved memory. Start it and shut it down, or
              discard the saved state in VirtualBox, then restore.
            </p>
          ) : null}
          <label>
            <input
              type="checkbox"
              name="withConfig"
              checked={withConfig}
              onChange={(e) => setWithConfig(e.target.checked)}
            />{' '}
            Also restore the VM's settings (.vbox) and NVRAM
          </label>
        </div>
      ) : (
        <label>
          Name of the new VM
          <input name="asNew" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      )}
      <ErrorNotice error={restore.error} />
    </ConfirmDialog>
  );
}
