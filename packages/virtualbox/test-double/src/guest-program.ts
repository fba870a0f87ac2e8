import { posix } from 'node:path';

/** What a guest program did: its exit code (or a timeout) and its output. */
export interface GuestRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

/** What a guest program may do to the guest: freeze or thaw a mount point (the guest writer stops writing). */
export interface GuestEffects {
  isFrozen(mount: string): boolean;
  freeze(mount: string): Promise<boolean>;
  thaw(mount: string): Promise<void>;
  sleep(ms: number): Promise<void>;
}

/** A program the guest has: takes argv (argv[0] first), the timeout (0 = none) and the effects. */
type GuestProgram = (argv: string[], timeoutMs: number, guest: GuestEffects) => Promise<GuestRun>;

const ok = (stdout = ''): GuestRun => ({ exitCode: 0, stdout, stderr: '' });

const fsfreeze: GuestProgram = async (argv, _timeout, guest) => {
  const args = argv.slice(1);
  const freeze = args.some((a) => a === '-f' || a === '--freeze');
  const unfreeze = args.some((a) => a === '-u' || a === '--unfreeze');
  const mount = args.find((a) => !a.startsWith('-'));
  const usage = "Try 'fsfreeze --help' for more information.\n";
  if (freeze === unfreeze)
    return { exitCode: 1, stdout: '', stderr: `fsfreeze: neither --freeze or --unfreeze specified\n${usage}` };
  if (mount === undefined) return { exitCode: 1, stdout: '', stderr: `fsfreeze: no filename specified\n${usage}` };
  if (freeze) {
    if (guest.isFrozen(mount))
      return { exitCode: 1, stdout: '', stderr: `fsfreeze: ${mount}: freeze failed: Device or resource busy\n` };
    return (await guest.freeze(mount))
      ? ok()
      : { exitCode: 1, stdout: '', stderr: `fsfreeze: ${mount}: freeze failed: Input/output error\n` };
  }
  if (!guest.isFrozen(mount))
    return { exitCode: 1, stdout: '', stderr: `fsfreeze: ${mount}: unfreeze failed: Invalid argument\n` };
  await guest.thaw(mount);
  return ok();
};

async function sleepFor(seconds: number, timeoutMs: number, guest: GuestEffects): Promise<GuestRun> {
  const ms = seconds * 1000;
  if (timeoutMs > 0 && ms > timeoutMs) {
    await guest.sleep(timeoutMs);
    return { exitCode: 0, stdout: '', stderr: '', timedOut: true };
  }
  await guest.sleep(ms);
  return ok();
}

const shell: GuestProgram = async (argv, timeoutMs, guest) => {
  const script = argv[1] === '-c' ? (argv[2] ?? '').trim() : undefined;
  if (script === undefined || script === 'true' || script === '') return ok();
  if (script === 'false') return { exitCode: 1, stdout: '', stderr: '' };
  const exit = /^exit (\d+)$/.exec(script);
  if (exit) return { exitCode: Number(exit[1]), stdout: '', stderr: '' };
  const sleep = /^sleep (\d+(\.\d+)?)$/.exec(script);
  if (sleep) return sleepFor(Number(sleep[1]), timeoutMs, guest);
  const echo = /^echo (.*)$/.exec(script);
  if (echo) return ok(`${echo[1]}\n`);
  return {
    exitCode: 127,
    stdout: '',
    stderr: `${argv[0]}: the VirtualBox double's guest runs only true/false/exit N/sleep N/echo\n`,
  };
};

const PROGRAMS: Record<string, GuestProgram> = {
  true: async () => ok(),
  false: async () => ({ exitCode: 1, stdout: '', stderr: '' }),
  echo: async (argv) => ok(`${argv.slice(1).join(' ')}\n`),
  sleep: async (argv, timeoutMs, guest) => sleepFor(Number(argv[1] ?? 0), timeoutMs, guest),
  sh: shell,
  bash: shell,
  fsfreeze,
};

const DIRS = ['/bin', '/usr/bin', '/sbin', '/usr/sbin'];

/**
 * Takes the guest image path; returns the guest program, or undefined when the guest has no such file.
 * The guest knows a small fixed set: true, false, echo, sleep, sh/bash (-c "exit N"|"sleep N"|…) and
 * util-linux fsfreeze, under /bin, /usr/bin, /sbin or /usr/sbin.
 */
export function findGuestProgram(image: string): GuestProgram | undefined {
  if (!DIRS.includes(posix.dirname(image))) return undefined;
  return PROGRAMS[posix.basename(image)];
}
