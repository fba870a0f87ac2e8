import { plainError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { PROGRESS_DONE } from './progress.js';
import { humanSnapshots, machineReadableSnapshots } from './snapshot-tree.js';
import { syntaxError } from './syntax-error.js';
import { takeSnapshot } from './take-snapshot.js';
import { VBoxFailure } from './vbox-failure.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageSnapshot.cpp';

/**
 * `snapshot <vm> take|delete|list …` (reference §1.3, §1.5, §1.6). As in VBoxManageSnapshot.cpp, a usage
 * error inside a subcommand exits 1 (not 2); only a missing VM or subcommand exits 2.
 */
export const handleSnapshot: CommandHandler = async (ctx, args) => {
  const [vm, sub, ...rest] = args;
  if (vm === undefined || sub === undefined) throw new ArgProblem('Not enough parameters');
  await withState(ctx, async (state) => {
    state.findMachine(vm, { context: 'FindMachine(bstrMachine.raw(), pMachine.asOutParam())', file: FILE, line: 401 });
  });
  try {
    switch (sub) {
      case 'take':
        return await take(ctx, vm, rest);
      case 'delete':
        if (rest.length !== 1) throw new ArgProblem('Expecting snapshot name only');
        await deleteSnapshot(ctx, vm, rest[0] as string);
        return 0;
      case 'list':
        return await list(ctx, vm, rest);
      default:
        throw new ArgProblem(`Invalid parameter '${sub}'`);
    }
  } catch (error) {
    if (!(error instanceof ArgProblem)) throw error;
    throw new VBoxFailure(1, syntaxError(ctx.dialect, 'snapshot', error.message).stderr);
  }
};

async function take(ctx: CommandContext, vm: string, args: string[]): Promise<number> {
  const [name, ...options] = args;
  if (name === undefined || name.startsWith('-')) throw new ArgProblem('Missing snapshot name');
  const parsed = parseArgs(options, {
    options: { '--description': 'value', '--pause': 'flag', '--live': 'flag', '--uniquename': 'value' },
    aliases: { '-description': '--description', '-desc': '--description' },
  });
  if (parsed.positional.length > 0) throw new ArgProblem(`Invalid parameter '${parsed.positional[0]}'`);
  const uniqueArg = lastValue(parsed, '--uniquename');
  let unique: { number: boolean; timestamp: boolean; space: boolean; force: boolean } | undefined;
  if (uniqueArg !== undefined) {
    const parts = uniqueArg
      .split(',')
      .filter(Boolean)
      .map((p) => p.toLowerCase());
    const known = ['number', 'timestamp', 'space', 'force'];
    const flag = (word: string) => parts.some((p) => word.startsWith(p));
    if (parts.some((p) => !known.some((k) => k.startsWith(p))))
      throw plainError(`Invalid unique name description '${uniqueArg}'`, 2);
    unique = { number: flag('number'), timestamp: flag('timestamp'), space: flag('space'), force: flag('force') };
  }
  const description = lastValue(parsed, '--description');
  const uuid = await takeSnapshot(ctx, {
    vm,
    name,
    live: parsed.flags.has('--live'),
    ...(description !== undefined ? { description } : {}),
    ...(unique ? { unique } : {}),
  });
  ctx.io.err(PROGRESS_DONE);
  ctx.io.out(`Snapshot taken. UUID: ${uuid}\n`);
  return 0;
}

async function list(ctx: CommandContext, vm: string, args: string[]): Promise<number> {
  const parsed = parseArgs(args, { options: { '--details': 'flag', '--machinereadable': 'flag' } });
  if (parsed.positional.length > 0) throw new ArgProblem(`Invalid parameter '${parsed.positional[0]}'`);
  return withState(ctx, async (state) => {
    const machine = state.findMachine(vm, {
      context: 'FindMachine(bstrMachine.raw(), pMachine.asOutParam())',
      file: FILE,
      line: 401,
    });
    if (!machine.config.snapshot) {
      ctx.io.out('This machine does not have any snapshots\n');
      return 1;
    }
    ctx.io.out(
      parsed.flags.has('--machinereadable') ? machineReadableSnapshots(machine.config) : humanSnapshots(machine.config),
    );
    return 0;
  });
}
