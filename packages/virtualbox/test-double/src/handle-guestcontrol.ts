import { readFile } from 'node:fs/promises';
import { comError, plainError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import { FIND_MACHINE_ARGV0 } from './double-state.js';
import { machineExtraData } from './extra-data.js';
import { guestAdditionsOn } from './guest-additions.js';
import { findGuestProgram, type GuestEffects, type GuestRun } from './guest-program.js';
import { longStateName } from './machine-state.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { sleep } from './sleep.js';
import { withState } from './with-state.js';
import { holdWriter, releaseWriter } from './writer-control.js';

const FILE = 'VBoxManageGuestCtrl.cpp';
const SESSION_WAIT = 'WaitForArray(ComSafeArrayAsInParam(aSessionWaitFlags), 30 * 1000, &enmWaitResult)';
const PROCESS_WAIT =
  'WaitForArray(ComSafeArrayAsInParam(aWaitStartFlags), gctlRunGetRemainingTime(msStart, cMsTimeout), &waitResult)';

/** Extra data key: `user:password` the guest accepts (any credentials when unset). */
export const GUEST_CREDENTIALS_KEY = 'vrs-double/guest-credentials';

/**
 * `guestcontrol <vm> run [--username u] [--password p|--passwordfile f] [--exe path] [--arg0 a] [--timeout ms]
 * -- args…` (reference §1.12): runs one of the double's guest programs (fsfreeze freezes the guest writer)
 * and maps its exit: 0 → 0, 1..93 → +32, ≥94 → 126, timeout → 20. Needs a Running VM and Guest
 * Additions (`vrs-double/guest-additions` not `off`). argv[0] follows the dialect: 7.0 puts the image (or
 * --arg0) first, 6.1 takes every positional argument as argv.
 */
export const handleGuestControl: CommandHandler = async (ctx, args) => {
  const [vm, sub, ...rest] = args;
  if (vm === undefined || sub === undefined) throw new ArgProblem('Missing sub-command');
  if (sub !== 'run') throw new ArgProblem(`Unknown sub-command: '${sub}'`);
  const parsed = parseArgs(rest, {
    options: {
      '--username': 'value',
      '--password': 'value',
      '--passwordfile': 'value',
      '--domain': 'value',
      '--exe': 'value',
      '--arg0': 'value',
      '--timeout': 'value',
      '--putenv': 'value',
      '--verbose': 'flag',
      '--quiet': 'flag',
      '--unquoted-args': 'flag',
      '--ignore-orphaned-processes': 'flag',
      '--profile': 'flag',
      '--no-profile': 'flag',
      '--dos2unix': 'flag',
      '--unix2dos': 'flag',
      '--wait-stdout': 'flag',
      '--no-wait-stdout': 'flag',
      '--wait-stderr': 'flag',
      '--no-wait-stderr': 'flag',
    },
    aliases: { '-v': '--verbose', '-q': '--quiet', '-E': '--putenv', '--image': '--exe' },
    stopAtDoubleDash: true,
  });
  const positional = [...parsed.positional, ...parsed.rest];
  const exe = lastValue(parsed, '--exe');
  const image = exe ?? positional[0];
  if (!image) throw new ArgProblem('No executable specified!');
  const argv = ctx.dialect.v7
    ? [lastValue(parsed, '--arg0') ?? image, ...(exe ? positional : positional.slice(1))]
    : positional;
  const username = lastValue(parsed, '--username') ?? '';
  if (username === '') throw new ArgProblem('No user name specified!');
  const passwordFile = lastValue(parsed, '--passwordfile');
  const password = passwordFile
    ? ((await readFile(passwordFile, 'utf8').catch(() => '')).split(/\r?\n/)[0] ?? '')
    : (lastValue(parsed, '--password') ?? '');
  const timeoutMs = Number(lastValue(parsed, '--timeout') ?? 0) || 0;

  const frozen = await withState(ctx, async (state) => {
    const machine = state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 1034));
    const s = machine.runtime.state;
    if (s !== 'running') throw plainError(`Machine "${vm}" is not running (currently ${longStateName(s)})!`);
    const session = {
      component: 'GuestSessionWrap',
      iface: 'IGuestSession',
      context: SESSION_WAIT,
      file: FILE,
      line: 938,
    };
    if (!guestAdditionsOn(machine.config))
      throw comError('The guest execution service is not ready (yet)', { hresult: 'VBOX_E_IPRT_ERROR', ...session });
    const credentials = machineExtraData(machine.config, GUEST_CREDENTIALS_KEY);
    if (credentials !== undefined && credentials !== `${username}:${password}`)
      throw comError('The specified user was not able to logon on guest', { hresult: 'VBOX_E_IPRT_ERROR', ...session });
    return machine.runtime.frozen ?? [];
  });
  const program = findGuestProgram(image);
  if (program === undefined) {
    throw comError(`No such file or directory "${image}" on guest`, {
      hresult: 'VBOX_E_IPRT_ERROR',
      component: 'GuestProcessWrap',
      iface: 'IGuestProcess',
      context: PROCESS_WAIT,
      file: FILE,
      line: 1510,
    });
  }
  const run = await program(argv, timeoutMs, guestEffects(ctx, vm, timeoutMs, frozen));
  ctx.io.out(run.stdout);
  ctx.io.err(run.stderr);
  return exitCodeOf(run);
};

function exitCodeOf(run: GuestRun): number {
  if (run.timedOut) return 20;
  if (run.exitCode === 0) return 0;
  return run.exitCode <= 93 ? run.exitCode + 32 : 126;
}

function guestEffects(ctx: CommandContext, vm: string, timeoutMs: number, frozen: string[]): GuestEffects {
  const find = FIND_MACHINE_ARGV0(FILE, 1034);
  return {
    isFrozen: (mount) => frozen.includes(mount),
    sleep,
    freeze: (mount) =>
      withState(ctx, async (state) => {
        const machine = state.findMachine(vm, find);
        const pid = machine.runtime.writerPid;
        if (pid === undefined || !(await holdWriter(machine.runtimeDir, 'freeze', pid, timeoutMs || 30_000)))
          return false;
        machine.runtime.frozen = [...(machine.runtime.frozen ?? []), mount];
        await state.saveRuntime(machine);
        return true;
      }),
    thaw: (mount) =>
      withState(ctx, async (state) => {
        const machine = state.findMachine(vm, find);
        machine.runtime.frozen = (machine.runtime.frozen ?? []).filter((m) => m !== mount);
        if (machine.runtime.frozen.length === 0) {
          delete machine.runtime.frozen;
          await releaseWriter(machine.runtimeDir, 'freeze');
        }
        await state.saveRuntime(machine);
      }),
  };
}
