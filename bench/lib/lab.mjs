// The two-host lab from Node: brings up infra/lab/lab.sh's namespaces "host" and "storage", runs commands on
// either side with their wall time and CPU seconds (GNU time's rusage of the command and everything it waited
// for), reads the veth counters, switches profiles and the link, and always tears down: close(), process exit
// and SIGINT/SIGTERM/SIGHUP here, and lab.sh's watchdog (owner = this process) after a SIGKILL.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lab script. */
export const LAB_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'infra', 'lab', 'lab.sh');
/** Addresses of the two sides on the veth pair. */
export const ADDRESSES = { host: '192.0.2.1', storage: '192.0.2.2' };
const KEEP_OUTPUT = 64 * 1024;
const open = new Set();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function lab(args, input) {
  return execFileSync('bash', [LAB_SCRIPT, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function downAll() {
  for (const l of open) l.closeSync();
}
function onSignal(signal) {
  downAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // The caller's own handler, if any, decides how to end; alone, end as the signal would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
function watchProcess(add) {
  if (add && open.size === 1) {
    process.on('exit', downAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  } else if (!add && open.size === 0) {
    process.removeListener('exit', downAll);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  }
}

/** Takes the text GNU time wrote with `-f '%e %U %S'`; returns { wall, user, system, total } in seconds. */
export function parseTime(text) {
  const last = text.trim().split('\n').at(-1) ?? '';
  const [wall, user, system] = last.split(' ').map(Number);
  if (![wall, user, system].every(Number.isFinite)) throw new Error(`unreadable GNU time output: ${text}`);
  return { wall, user, system, total: user + system };
}

/** Sends a signal to the command GNU time (the spawned process) runs, or to GNU time before it has forked. */
function signalCommand(child, signal) {
  let pids = [];
  try {
    pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    // already gone
  }
  if (pids.length === 0) child.kill(signal);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** The keep-last-bytes buffer of a child's stream. */
function tail(stream) {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    text = (text + chunk).slice(-KEEP_OUTPUT);
  });
  return () => text;
}

/** A lab: two network namespaces joined by a veth pair. Make one with {@link startLab}. */
export class Lab {
  constructor(id) {
    this.id = id;
    this.closed = false;
    // GNU time's reports go into the lab's state directory, which lab.sh's down removes whoever runs it.
    this.scratch = join(lab(['--id', id, 'path']).trim(), 'node');
    mkdirSync(this.scratch, { recursive: true });
    this.serial = 0;
  }

  /**
   * Takes a side ('host' | 'storage'), an argv and { cwd, env, input, stdio, timeoutMs, check }; starts the
   * command in that side's namespace under GNU time. Returns { child, done, stop }: `done` resolves to
   * { code, signal, stdout, stderr, seconds, cpu } (stdout/stderr: the last 64 KiB when piped), `stop(signal)`
   * signals the command and returns `done`. With `check` (default true) `done` rejects on a non-zero exit,
   * carrying the command and its stderr; it rejects too when `timeoutMs` (default 1 h) passes, after a SIGKILL.
   */
  spawn(side, argv, { cwd, env, input, stdio = 'pipe', timeoutMs = 3_600_000, check = true } = {}) {
    if (side !== 'host' && side !== 'storage') throw new Error(`a side is host or storage, got ${side}`);
    const timeFile = join(this.scratch, `time-${this.serial++}`);
    const child = spawn(
      'bash',
      [LAB_SCRIPT, '--id', this.id, 'exec', side, '/usr/bin/time', '-f', '%e %U %S', '-o', timeFile, ...argv],
      {
        cwd,
        env: env ? { ...process.env, ...env } : process.env,
        stdio: [input === undefined ? 'ignore' : 'pipe', stdio, stdio],
      },
    );
    if (input !== undefined) child.stdin.end(input);
    const stdout = tail(child.stdout);
    const stderr = tail(child.stderr);
    const started = process.hrtime.bigint();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const done = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        let cpu = null;
        try {
          cpu = parseTime(readFileSync(timeFile, 'utf8'));
        } catch {
          // killed before GNU time could write
        }
        rmSync(timeFile, { force: true });
        const result = { code, signal, stdout: stdout(), stderr: stderr(), seconds, cpu };
        const what = `${side}: ${argv.join(' ')}`;
        if (timedOut) reject(Object.assign(new Error(`${what} timed out after ${timeoutMs} ms`), result));
        else if (check && code !== 0)
          reject(
            Object.assign(
              new Error(`${what} exited ${code ?? signal}: ${result.stderr.trim().split('\n').slice(-5).join('\n')}`),
              result,
            ),
          );
        else resolve(result);
      });
    });
    // A stop() of a command that is meant to be stopped resolves even though its exit is not 0. The signal goes
    // to the command itself: lab.sh and nsenter exec, so child.pid is GNU time, which would die without a report.
    const stop = (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) signalCommand(child, signal);
      return done.catch((error) => {
        if (timedOut || error.code === undefined) throw error;
        return error;
      });
    };
    return { child, done, stop };
  }

  /** Takes a side, an argv and the options of {@link Lab.spawn}; runs it to the end and returns its result. */
  run(side, argv, options) {
    return this.spawn(side, argv, options).done;
  }

  /** Returns the veth counters: { host: { rxBytes, rxPackets, txBytes, txPackets, lossPackets }, storage: … }. */
  counters() {
    return JSON.parse(lab(['--id', this.id, 'counters']));
  }

  /** Takes 'wifi' | 'lan' | 'none'; switches both ends to that profile. */
  setProfile(profile) {
    lab(['--id', this.id, 'profile', profile]);
  }

  /** Takes 'down' | 'up'; brings both veth ends down or up. */
  link(state) {
    lab(['--id', this.id, 'link', state]);
  }

  /** Returns lab.sh's description of both ends: addresses, qdiscs, filter rules, delay listeners. */
  show() {
    return lab(['--id', this.id, 'show']);
  }

  /** Tears the lab down (idempotent, synchronous): every process in its namespaces, the namespaces, the veth. */
  closeSync() {
    if (this.closed) return;
    this.closed = true;
    try {
      lab(['--id', this.id, 'down']);
    } finally {
      rmSync(this.scratch, { recursive: true, force: true });
      open.delete(this);
      watchProcess(false);
    }
  }

  /** As {@link Lab.closeSync}; returns a promise. */
  async close() {
    this.closeSync();
  }
}

/**
 * Takes { profile = 'wifi', ttlSeconds = 14400 }; brings a lab up, owned by this process. Returns the
 * {@link Lab}. Throws when not root or when lab.sh fails (with its stderr).
 */
export async function startLab({ profile = 'wifi', ttlSeconds = 14400 } = {}) {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces); run it as root');
  let id;
  try {
    id = lab(['up', '--profile', profile, '--owner', String(process.pid), '--ttl', String(ttlSeconds)]).trim();
  } catch (error) {
    throw new Error(`lab.sh up failed: ${error.stderr ?? error.message}`, { cause: error });
  }
  const made = new Lab(id);
  open.add(made);
  watchProcess(true);
  return made;
}

/** Takes the options of {@link startLab} and an async function of the lab; runs it and always tears down. */
export async function withLab(options, fn) {
  const made = await startLab(options);
  try {
    return await fn(made);
  } finally {
    made.closeSync();
  }
}
