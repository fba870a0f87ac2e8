import type { CommandHandler } from './command-handler.js';
import { formatVmInfo } from './format-vm-info.js';
import { formatVmInfoHuman } from './format-vm-info-human.js';
import { ArgProblem, parseArgs } from './parse-args.js';
import { withState } from './with-state.js';

/** `showvminfo <vm> [--machinereadable] [--details]`: the VM's settings and state (reference §1.2). */
export const handleShowVmInfo: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: { '--machinereadable': 'flag', '--details': 'flag' },
    aliases: { '-machinereadable': '--machinereadable', '-details': '--details' },
  });
  const [vm, extra] = parsed.positional;
  if (vm === undefined) throw new ArgProblem('VM name or UUID required');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  return withState(ctx, async (state) => {
    const inaccessible = state.machines.find((m) => m.uuid === vm.replace(/^\{|\}$/g, '').toLowerCase() && !m.config);
    if (inaccessible && parsed.flags.has('--machinereadable')) {
      ctx.io.out(`name="<inaccessible>"\nUUID="${inaccessible.uuid}"\n`);
      return 0;
    }
    const machine = state.findMachine(vm, {
      context: 'FindMachine(Bstr(VMNameOrUuid).raw(), machine.asOutParam())',
      file: 'VBoxManageInfo.cpp',
      line: 3113,
    });
    ctx.io.out(
      parsed.flags.has('--machinereadable')
        ? formatVmInfo(state, machine, ctx.dialect)
        : formatVmInfoHuman(state, machine, ctx.dialect),
    );
    return 0;
  });
};
