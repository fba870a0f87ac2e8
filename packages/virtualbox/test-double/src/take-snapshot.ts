import { randomUUID } from 'node:crypto';
import { copyFile, stat } from 'node:fs/promises';
import { comError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import { createDiffImage } from './create-diff-image.js';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import { machineExtraData } from './extra-data.js';
import { settingsTime } from './format-time.js';
import type { SnapshotNode } from './machine-config.js';
import { apiStateName, type MachineStateName, TRANSIENT_STATES, VM_PROCESS_STATES } from './machine-state.js';
import { attachedDiskUuids } from './medium-usage.js';
import { type OperationHold, operationHold, waitOperationHold } from './operation-delay.js';
import { progressFailure } from './progress.js';
import { replaceImageIn } from './replace-image.js';
import { copyNvramForSnapshot, writeSavedStateFile } from './saved-state-file.js';
import { listSnapshots } from './snapshot-tree.js';
import { withState } from './with-state.js';
import { holdWriter, releaseWriter, updateWriterControl } from './writer-control.js';
import { writerTargets } from './writer-targets.js';

const FILE = 'VBoxManageSnapshot.cpp';
const TAKE_CONTEXT = 'TakeSnapshot(name.raw(), desc.raw(), fPause, snapId.asOutParam(), progress.asOutParam())';

/** What `snapshot take` was asked for. */
export interface TakeRequest {
  vm: string;
  name: string;
  description?: string;
  live: boolean;
  unique?: { number: boolean; timestamp: boolean; space: boolean; force: boolean };
}

/**
 * Takes the context and the request; takes a snapshot as SessionMachine::takeSnapshot does (reference
 * §1.5): transient state `livesnapshotting` (--live) / `onlinesnapshotting` (running without --live, guest
 * held throughout, or paused) / `snapshotting` (offline); one differencing VDI per attached hard disk in
 * the snapshot folder; the guest writer switched to them at a write boundary; a `.sav` for online
 * snapshots unless `VBoxInternal2/ForceTakeSnapshotWithoutState=1`; the NVRAM copied. Returns the UUID.
 */
export async function takeSnapshot(ctx: CommandContext, req: TakeRequest): Promise<string> {
  const snapshotUuid = randomUUID();
  const hold = await withState(ctx, async (state) => begin(state, req));
  await waitOperationHold(hold);
  await withState(ctx, async (state) => finish(state, req, snapshotUuid));
  return snapshotUuid;
}

function uniqueName(machine: AccessibleMachine, req: TakeRequest): string {
  const u = req.unique;
  if (!u || !(u.number || u.timestamp)) return req.name;
  const taken = new Set(listSnapshots(machine.config).map((p) => p.node.name));
  if (!taken.has(req.name) && !u.force) return req.name;
  const now = Date.now();
  for (let count = u.number ? (u.force ? 1 : 2) : 0; count < 500; count++) {
    const suffix = u.number ? String(count) : `${new Date(now + count * 1000).toISOString().slice(0, 19)}Z`;
    const name = u.space ? `${req.name} ${suffix}` : `${req.name}${suffix}`;
    if (!taken.has(name)) return name;
  }
  return req.name;
}

async function begin(state: DoubleState, req: TakeRequest): Promise<OperationHold> {
  const machine = state.findMachine(req.vm, {
    context: 'FindMachine(bstrMachine.raw(), pMachine.asOutParam())',
    file: FILE,
    line: 401,
  });
  const s = machine.runtime.state;
  const site = {
    component: 'SessionMachine',
    iface: 'IMachine',
    context: TAKE_CONTEXT,
    file: FILE,
    line: 477,
  } as const;
  if (TRANSIENT_STATES.has(s) || machine.runtime.operation)
    throw comError(
      `Cannot take a snapshot of the virtual machine while it is changing state (machine state: ${apiStateName(s)})`,
      {
        hresult: 'VBOX_E_INVALID_VM_STATE',
        ...site,
      },
    );
  if (req.live && s !== 'running')
    throw comError('Cannot take a live snapshot of a virtual machine unless it is running.', {
      hresult: 'VBOX_E_INVALID_VM_STATE',
      ...site,
    });
  if (!['poweroff', 'aborted', 'teleported', 'saved', 'aborted-saved', 'running', 'paused'].includes(s))
    throw comError(`The machine is not mutable, saved or running (state is ${apiStateName(s)})`, {
      hresult: 'VBOX_E_INVALID_VM_STATE',
      ...site,
    });
  req.name = uniqueName(machine, req);
  const online = VM_PROCESS_STATES.has(s);
  const transient: MachineStateName = !online ? 'snapshotting' : req.live ? 'livesnapshotting' : 'onlinesnapshotting';
  if (online && !req.live && machine.runtime.writerPid !== undefined)
    await holdWriter(machine.runtimeDir, 'snapshot', machine.runtime.writerPid);
  machine.runtime.operation = { kind: 'take', pid: process.pid, resumeState: s };
  state.setState(machine, transient);
  await state.saveMachine(machine);
  return operationHold(machine.config);
}

async function finish(state: DoubleState, req: TakeRequest, snapshotUuid: string): Promise<void> {
  const machine = state.findMachine(req.vm, {
    context: 'FindMachine(bstrMachine.raw(), pMachine.asOutParam())',
    file: FILE,
    line: 401,
  });
  const rt = machine.runtime;
  const c = machine.config;
  const online = VM_PROCESS_STATES.has(rt.state);
  if (
    rt.operation?.pid !== process.pid ||
    !['snapshotting', 'livesnapshotting', 'onlinesnapshotting'].includes(rt.state)
  ) {
    throw progressFailure({
      message: 'Failed to take snapshot',
      errorText: `The VM process of '${c.name}' went away while the snapshot was taken (machine state: ${apiStateName(rt.state)})`,
      hresult: 'VBOX_E_INVALID_VM_STATE',
      component: 'SessionMachine',
      iface: 'IMachine',
      context: 'RTEXITCODE handleSnapshot(HandlerArg *)',
      file: FILE,
      line: 502,
    });
  }
  if (online && rt.writerPid !== undefined) await holdWriter(machine.runtimeDir, 'snapshot', rt.writerPid);
  const snapshot: SnapshotNode = {
    uuid: snapshotUuid,
    name: req.name,
    ...(req.description ? { description: req.description } : {}),
    timeStamp: settingsTime(Date.now()),
    hardware: structuredClone(c.hardware),
    children: [],
  };
  for (const leaf of new Set(attachedDiskUuids(c.hardware))) {
    const found = state.findMedium(leaf);
    if (!found) continue;
    const diff = await createDiffImage(c.snapshotFolder, found.node.location);
    found.node.children.push({ uuid: diff.uuid, location: diff.path, format: found.node.format, children: [] });
    replaceImageIn(c.hardware, leaf, diff.uuid);
  }
  if (online) {
    await updateWriterControl(machine.runtimeDir, (control) => {
      control.targets = writerTargets(state, machine);
      control.targetsGeneration += 1;
    });
    await releaseWriter(machine.runtimeDir, 'snapshot');
    if (machineExtraData(c, 'VBoxInternal2/ForceTakeSnapshotWithoutState') !== '1')
      snapshot.stateFile = await writeSavedStateFile(c);
  } else if (c.stateFile) {
    snapshot.stateFile = `${c.stateFile.replace(/\.sav$/, '')}-snapshot.sav`;
    await copyFile(c.stateFile, snapshot.stateFile);
  }
  const nvram = c.hardware.nvramPath;
  if (nvram !== undefined && (await stat(nvram).catch(() => undefined)))
    snapshot.hardware.nvramPath = await copyNvramForSnapshot(c, nvram);
  const parent = c.currentSnapshot ? listSnapshots(c).find((p) => p.node.uuid === c.currentSnapshot)?.node : undefined;
  if (parent) parent.children.push(snapshot);
  else c.snapshot = snapshot;
  c.currentSnapshot = snapshotUuid;
  c.currentStateModified = false;
  const resume = rt.operation.resumeState;
  delete rt.operation;
  state.setState(machine, online ? (rt.guestPaused ? 'paused' : 'running') : resume);
  await state.saveMachine(machine);
}
