import type { VBoxRunner } from '../run-vboxmanage.js';
import { VBoxError } from '../vbox-error.js';

/** How to run a program in the guest. The password travels in a file, never in argv. */
export interface GuestRunOptions {
  username: string;
  passwordFile?: string;
  /** Guest-side timeout (`--timeout`), in milliseconds. */
  timeoutMs?: number;
  /** The program first, then its arguments (portable across 6.1 and 7.0: no `--exe`; reference §1.12). */
  command: readonly string[];
}

/** What happened to a guest program, decoded from VBoxManage's exit code (reference §1.12). */
export type GuestOutcome =
  | { kind: 'exited'; guestExitCode: number | null; stdout: string }
  | { kind: 'signal' | 'abnormal' | 'timeout' | 'down' | 'error' | 'cancelled'; hostExitCode: number };

/** Takes a VM and options; returns the argv of `guestcontrol <vm> run --username u [--passwordfile f] [--timeout ms] -- cmd…`. */
export function makeGuestRunArgv(vm: string, options: GuestRunOptions): string[] {
  return [
    'guestcontrol',
    vm,
    'run',
    '--username',
    options.username,
    ...(options.passwordFile ? ['--passwordfile', options.passwordFile] : []),
    ...(options.timeoutMs ? ['--timeout', String(options.timeoutMs)] : []),
    '--',
    ...options.command,
  ];
}

/**
 * Takes VBoxManage's exit code of `guestcontrol run`; returns what it means: guest exit 0 → 0, 1..93 →
 * code + 32, ≥ 94 → 126 (the exact code is lost), 17 error, 18 signal, 19 abnormal, 20 timeout, 21 down,
 * 22 cancelled ("frozen as of 4.1.0", VBoxManageGuestCtrl.cpp).
 */
export function decodeGuestExitCode(hostExitCode: number, stdout = ''): GuestOutcome {
  if (hostExitCode === 0) return { kind: 'exited', guestExitCode: 0, stdout };
  if (hostExitCode >= 33 && hostExitCode <= 125) return { kind: 'exited', guestExitCode: hostExitCode - 32, stdout };
  if (hostExitCode === 126) return { kind: 'exited', guestExitCode: null, stdout };
  const kinds: Record<number, Exclude<GuestOutcome['kind'], 'exited'>> = {
    17: 'error',
    18: 'signal',
    19: 'abnormal',
    20: 'timeout',
    21: 'down',
    22: 'cancelled',
  };
  return { kind: kinds[hostExitCode] ?? 'error', hostExitCode };
}

/**
 * Takes a runner, a VM and options; runs the program in the guest and returns its outcome. A guest program
 * that ran and exited non-zero (or timed out, or was killed) is an outcome, not an error; failing to run it
 * at all (logon refused, Guest Additions not ready: exit 1) throws VBoxError GUEST_EXEC_FAILED.
 */
export async function guestRun(run: VBoxRunner, vm: string, options: GuestRunOptions): Promise<GuestOutcome> {
  try {
    const { stdout } = await run(makeGuestRunArgv(vm, options));
    return decodeGuestExitCode(0, stdout);
  } catch (error) {
    if (!(error instanceof VBoxError) || error.exitCode === undefined) throw error;
    const code = error.exitCode;
    if ((code >= 17 && code <= 22) || (code >= 33 && code <= 126)) return decodeGuestExitCode(code);
    throw error;
  }
}
