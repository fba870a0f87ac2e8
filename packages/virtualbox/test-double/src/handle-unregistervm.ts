import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { comError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import type { MachineConfig } from './machine-config.js';
import { listMedia } from './media-tree.js';
import { ArgProblem, parseArgs } from './parse-args.js';
import { PROGRESS_DONE } from './progress.js';
import { isSessionLocked } from './session-lock.js';
import { listSnapshots } from './snapshot-tree.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageMisc.cpp';

/**
 * `unregistervm <vm> [--delete|--delete-all]`: refused while a session holds the VM. Without --delete the
 * `.vbox` and disk files stay on disk (the media are forgotten); with it they are deleted, with progress.
 */
export const handleUnregisterVm: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: { '--delete': 'flag', '--delete-all': 'flag' },
    aliases: { '-delete': '--delete' },
  });
  const [vm, extra] = parsed.positional;
  if (vm === undefined) throw new ArgProblem('VM name required');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  const remove = parsed.flags.has('--delete') || parsed.flags.has('--delete-all');
  return withState(ctx, async (state) => {
    const machine = state.findMachine(vm, {
      context: 'FindMachine(Bstr(VMName).raw(), machine.asOutParam())',
      file: FILE,
      line: 168,
    });
    if (isSessionLocked(machine.runtime)) {
      throw comError(`Cannot unregister the machine '${machine.config.name}' while it is locked`, {
        hresult: 'VBOX_E_INVALID_OBJECT_STATE',
        component: 'MachineWrap',
        iface: 'IMachine',
        context: 'Unregister(enmCleanupOption, ComSafeArrayAsOutParam(aMedia))',
        file: FILE,
        line: 183,
      });
    }
    state.registry.machines = state.registry.machines.filter((m) => m.uuid !== machine.uuid);
    await state.saveRegistry();
    await state.dropRuntime(machine);
    if (remove) {
      await deleteMachineFiles(machine.config);
      ctx.io.err(PROGRESS_DONE);
    }
    return 0;
  });
};

async function deleteMachineFiles(c: MachineConfig): Promise<void> {
  const files = [
    ...listMedia(c.media).map((p) => p.node.location),
    c.settingsFile,
    `${c.settingsFile}-prev`,
    ...(c.stateFile ? [c.stateFile] : []),
    ...(c.hardware.nvramPath ? [c.hardware.nvramPath] : []),
    ...listSnapshots(c).flatMap((p) =>
      [p.node.stateFile, p.node.hardware.nvramPath].filter((f): f is string => f !== undefined),
    ),
  ];
  for (const f of files) await rm(f, { force: true });
  const folder = dirname(c.settingsFile);
  await rm(join(folder, 'Logs'), { recursive: true, force: true });
  for (const dir of [c.snapshotFolder, folder]) {
    const left = await readdir(dir).catch(() => undefined);
    if (left !== undefined && left.length === 0) await rmdir(dir).catch(() => undefined);
  }
}
