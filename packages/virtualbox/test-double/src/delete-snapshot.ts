import { rm, stat } from 'node:fs/promises';
import { comError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import { findSnapshot } from './find-snapshot.js';
import type { MachineConfig, MediumNode, SnapshotNode } from './machine-config.js';
import { apiStateName, type MachineStateName, VM_PROCESS_STATES } from './machine-state.js';
import { attachedDiskUuids } from './medium-usage.js';
import { mergeIntoChild, mergeIntoParent } from './merge-images.js';
import { operationHold, waitOperationHold } from './operation-delay.js';
import { patchVdiLinks } from './patch-vdi-links.js';
import { progressFailure } from './progress.js';
import { replaceImageEverywhere } from './replace-image.js';
import { listSnapshots } from './snapshot-tree.js';
import { withState } from './with-state.js';
import { holdWriter, releaseWriter, updateWriterControl } from './writer-control.js';
import { writerTargets } from './writer-targets.js';

const FILE = 'VBoxManageSnapshot.cpp';
const DELETE_CONTEXT = 'DeleteSnapshot(bstrSnapGuid.raw(), pProgress.asOutParam())';
const FIND_SITE = { context: 'FindMachine(bstrMachine.raw(), pMachine.asOutParam())', file: FILE, line: 401 };
const ALLOWED: MachineStateName[] = [
  'poweroff',
  'saved',
  'teleported',
  'aborted',
  'aborted-saved',
  'running',
  'paused',
];

/**
 * Takes the context, the VM and the snapshot (name or UUID); deletes it as SessionMachine::deleteSnapshot
 * does (reference §1.6): prints `Deleting snapshot '<name>' (<uuid>)`, checks state and children, goes
 * through `deletingsnapshotlive` / `deletingsnapshotlivepaused` / `deletingsnapshot`, and merges each of
 * its disks with the child image: a base image takes its child in (backward merge, the diff file removed);
 * between differencing images the smaller file is merged into the larger. The guest writer is held around
 * the merge and switched to the surviving image.
 */
export async function deleteSnapshot(ctx: CommandContext, vm: string, which: string): Promise<void> {
  const { uuid, hold } = await withState(ctx, async (state) => begin(ctx, state, vm, which));
  await waitOperationHold(hold);
  await withState(ctx, async (state) => finish(state, vm, uuid));
  ctx.io.err('0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n');
}

async function begin(ctx: CommandContext, state: DoubleState, vm: string, which: string) {
  const machine = state.findMachine(vm, FIND_SITE);
  const c = machine.config;
  const place = findSnapshot(c, which);
  const snap = place.node;
  ctx.io.out(`Deleting snapshot '${snap.name}' (${snap.uuid})\n`);
  const site = {
    component: 'SessionMachine',
    iface: 'IMachine',
    context: DELETE_CONTEXT,
    file: FILE,
    line: 557,
  } as const;
  const s = machine.runtime.state;
  if (!ALLOWED.includes(s) || machine.runtime.operation)
    throw comError(`Invalid machine state: ${apiStateName(s)}`, { hresult: 'VBOX_E_INVALID_VM_STATE', ...site });
  if (snap.children.length > 1)
    throw comError(
      `Snapshot '${snap.name}' of the machine '${c.name}' cannot be deleted, because it has ${snap.children.length} child snapshots, which is more than the one snapshot allowed for deletion`,
      { hresult: 'VBOX_E_INVALID_OBJECT_STATE', ...site },
    );
  if (snap.uuid === c.currentSnapshot && snap.children.length >= 1)
    throw comError(
      `Snapshot '${snap.name}' of the machine '${c.name}' cannot be deleted, because it is the current snapshot and has one child snapshot`,
      { hresult: 'VBOX_E_INVALID_OBJECT_STATE', ...site },
    );
  for (const uuid of new Set(attachedDiskUuids(snap.hardware))) {
    const node = state.findMedium(uuid)?.node;
    if (node && node.children.length > 1) {
      throw progressFailure({
        message: 'Snapshot operation failed',
        errorText: `Hard disk '${node.location}' has more than one child hard disk (${node.children.length})`,
        hresult: 'NS_ERROR_FAILURE',
        component: 'SessionMachine',
        iface: 'IMachine',
        context: 'RTEXITCODE handleSnapshot(HandlerArg *)',
        file: FILE,
        line: 584,
      });
    }
  }
  const transient: MachineStateName =
    s === 'running' ? 'deletingsnapshotlive' : s === 'paused' ? 'deletingsnapshotlivepaused' : 'deletingsnapshot';
  machine.runtime.operation = { kind: 'delete', pid: process.pid, resumeState: s };
  state.setState(machine, transient);
  await state.saveMachine(machine);
  return { uuid: snap.uuid, hold: operationHold(c) };
}

async function finish(state: DoubleState, vm: string, snapshotUuid: string): Promise<void> {
  const machine = state.findMachine(vm, FIND_SITE);
  const rt = machine.runtime;
  const c = machine.config;
  if (rt.operation?.pid !== process.pid) {
    throw progressFailure({
      message: 'Snapshot operation failed',
      errorText: `The VM process of '${c.name}' went away while the snapshot was deleted (machine state: ${apiStateName(rt.state)})`,
      hresult: 'VBOX_E_INVALID_VM_STATE',
      component: 'SessionMachine',
      iface: 'IMachine',
      context: 'RTEXITCODE handleSnapshot(HandlerArg *)',
      file: FILE,
      line: 584,
    });
  }
  const online = VM_PROCESS_STATES.has(rt.state) && rt.writerPid !== undefined;
  if (online) await holdWriter(machine.runtimeDir, 'merge', rt.writerPid as number);
  const place = findSnapshot(c, snapshotUuid);
  for (const uuid of new Set(attachedDiskUuids(place.node.hardware))) await mergeDisk(state, machine, uuid);
  await removeSnapshotNode(c, place.node, place.parent);
  if (online) {
    await updateWriterControl(machine.runtimeDir, (control) => {
      control.targets = writerTargets(state, machine);
      control.targetsGeneration += 1;
    });
    await releaseWriter(machine.runtimeDir, 'merge');
  }
  const resume = rt.operation.resumeState;
  delete rt.operation;
  state.setState(machine, online ? (rt.guestPaused ? 'paused' : 'running') : resume);
  await state.saveMachine(machine);
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/** Merges the snapshot's image of one disk with its only child, in the direction VirtualBox picks. */
async function mergeDisk(state: DoubleState, machine: AccessibleMachine, imageUuid: string): Promise<void> {
  const found = state.findMedium(imageUuid);
  const child = found?.node.children[0];
  if (!found || !child) return;
  const image = found.node;
  const backward = found.parent === undefined || (await fileSize(image.location)) >= (await fileSize(child.location));
  if (backward) {
    const modify = await mergeIntoParent(child.location, image.location);
    for (const grandchild of child.children) await patchVdiLinks(grandchild.location, image.uuid, modify);
    image.children = [...image.children.filter((n) => n !== child), ...child.children];
    replaceImageEverywhere(machine.config, child.uuid, image.uuid);
    await rm(child.location, { force: true });
  } else {
    const link = await mergeIntoChild(image.location, child.location);
    await patchVdiLinks(child.location, link.uuid, link.modifyUuid);
    const container: MediumNode[] = found.container;
    container.splice(container.indexOf(image), 1, child);
    replaceImageEverywhere(machine.config, image.uuid, child.uuid);
    await rm(image.location, { force: true });
  }
}

async function removeSnapshotNode(
  c: MachineConfig,
  snap: SnapshotNode,
  parent: SnapshotNode | undefined,
): Promise<void> {
  if (parent) parent.children.splice(parent.children.indexOf(snap), 1, ...snap.children);
  else if (snap.children[0]) c.snapshot = snap.children[0];
  else delete c.snapshot;
  if (c.currentSnapshot === snap.uuid) {
    if (parent) c.currentSnapshot = parent.uuid;
    else delete c.currentSnapshot;
  }
  if (
    snap.stateFile &&
    !listSnapshots(c).some((p) => p.node.stateFile === snap.stateFile) &&
    snap.stateFile !== c.stateFile
  )
    await rm(snap.stateFile, { force: true });
  const nvram = snap.hardware.nvramPath;
  if (nvram && nvram !== c.hardware.nvramPath) await rm(nvram, { force: true });
}
