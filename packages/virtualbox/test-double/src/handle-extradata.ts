import type { CommandHandler } from './command-handler.js';
import { FIND_MACHINE_ARGV0 } from './double-state.js';
import { getExtraData, setExtraData } from './extra-data.js';
import { VM_PROCESS_STATES } from './machine-state.js';
import { ArgProblem } from './parse-args.js';
import { withState } from './with-state.js';
import { updateWriterControl } from './writer-control.js';
import { parseWriterSettings, WRITER_SETTINGS_KEY } from './writer-settings.js';

const FILE = 'VBoxManageMisc.cpp';

/** `getextradata <vm|global> <key>|enumerate`: `Value: <v>`, `No value set!`, or `Key: <k>, Value: <v>` lines. */
export const handleGetExtraData: CommandHandler = async (ctx, args) => {
  const [target, key, extra] = args;
  if (target === undefined || key === undefined) throw new ArgProblem('Incorrect number of parameters');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  return withState(ctx, async (state) => {
    const items =
      target === 'global'
        ? state.registry.extraData
        : state.findMachine(target, FIND_MACHINE_ARGV0(FILE, 1097)).config.extraData;
    if (key === 'enumerate') {
      for (const [k, v] of items) ctx.io.out(`Key: ${k}, Value: ${v}\n`);
      return 0;
    }
    const value = getExtraData(items, key);
    ctx.io.out(value === undefined ? 'No value set!\n' : `Value: ${value}\n`);
    return 0;
  });
};

/**
 * `setextradata <vm|global> <key> [value]`: sets or (without a value) deletes the key. Works while the VM
 * runs (shared lock); a changed `vrs-double/guest-writer` takes effect in the running guest writer at once.
 */
export const handleSetExtraData: CommandHandler = async (ctx, args) => {
  const [target, key, value, extra] = args;
  if (target === undefined || key === undefined) throw new ArgProblem('Not enough parameters');
  if (extra !== undefined) throw new ArgProblem(`Too many parameters`);
  return withState(ctx, async (state) => {
    if (target === 'global') {
      setExtraData(state.registry.extraData, key, value);
      await state.saveRegistry();
      return 0;
    }
    const machine = state.findMachine(target, FIND_MACHINE_ARGV0(FILE, 1162));
    setExtraData(machine.config.extraData, key, value);
    await state.saveMachine(machine);
    if (key === WRITER_SETTINGS_KEY && VM_PROCESS_STATES.has(machine.runtime.state)) {
      const settings = parseWriterSettings(value);
      await updateWriterControl(machine.runtimeDir, (c) => Object.assign(c, settings));
    }
    return 0;
  });
};
