import type { SnapshotNode } from '../model/vm-info.js';
import { type Dialect, parseMachineReadable } from '../parse/parse-machine-readable.js';
import { parseVmInfo } from '../parse/parse-vm-info.js';
import type { VBoxRunner } from '../run-vboxmanage.js';
import { VBoxError } from '../vbox-error.js';

/** Options of `snapshot take`. */
export interface TakeSnapshotOptions {
  description?: string;
  /** Keep the VM running (`--live`); without it VirtualBox pauses the guest for the snapshot. */
  live?: boolean;
}

/** Takes a VM, a name and options; returns the argv of `snapshot <vm> take <name> [--description d] [--live]`. */
export function makeTakeSnapshotArgv(vm: string, name: string, options: TakeSnapshotOptions = {}): string[] {
  return [
    'snapshot',
    vm,
    'take',
    name,
    ...(options.description ? ['--description', options.description] : []),
    ...(options.live ? ['--live'] : []),
  ];
}

/** Takes a VM and a snapshot (UUID preferred: names are not unique); returns the argv of `snapshot <vm> delete <s>`. */
export function makeDeleteSnapshotArgv(vm: string, snapshot: string): string[] {
  return ['snapshot', vm, 'delete', snapshot];
}

/** Takes a VM; returns the argv of `snapshot <vm> list --machinereadable`. */
export function makeListSnapshotsArgv(vm: string): string[] {
  return ['snapshot', vm, 'list', '--machinereadable'];
}

/** Takes a runner, a VM, a name and options; takes the snapshot and returns its UUID. Throws VBoxError. */
export async function takeSnapshot(
  run: VBoxRunner,
  vm: string,
  name: string,
  options: TakeSnapshotOptions = {},
): Promise<string> {
  const argv = makeTakeSnapshotArgv(vm, name, options);
  const { stdout } = await run(argv);
  const uuid = /Snapshot taken\. UUID: ([0-9a-fA-F-]{36})/.exec(stdout)?.[1];
  if (!uuid)
    throw new VBoxError('VBOXMANAGE_FAILED', `snapshot take printed no UUID: ${stdout.trim()}`, {
      argv,
      exitCode: 0,
      stdout,
      stderrLines: [],
    });
  return uuid.toLowerCase();
}

/** Takes a runner, a VM and a snapshot; deletes (merges) it. Throws VBoxError (SNAPSHOT_NOT_FOUND, …). */
export async function deleteSnapshot(run: VBoxRunner, vm: string, snapshot: string): Promise<void> {
  await run(makeDeleteSnapshotArgv(vm, snapshot));
}

/**
 * Takes a runner, a VM and the dialect; returns its snapshot tree and the current snapshot. A VM without
 * snapshots gives an empty tree (VBoxManage says so on stdout and exits 1; reference §1.3).
 */
export async function listSnapshots(
  run: VBoxRunner,
  vm: string,
  dialect: Dialect,
): Promise<{ snapshots: SnapshotNode[]; current: string | null }> {
  try {
    const info = parseVmInfo(
      parseMachineReadable((await run(makeListSnapshotsArgv(vm), { retry: true })).stdout, dialect),
    );
    return { snapshots: info.snapshots, current: info.currentSnapshotUuid };
  } catch (error) {
    if (error instanceof VBoxError && /does not have any snapshots/.test(error.message))
      return { snapshots: [], current: null };
    throw error;
  }
}
