import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOUBLE_HOME_VAR, DOUBLE_VERSION_VAR, type DoubleVersion } from './double-env.js';
import { isProcessAlive } from './process-alive.js';
import { readRuntimeState } from './runtime-state.js';

/** What one VBoxManage run of the double printed and returned. */
export interface DoubleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A fresh double home: its directory, an environment pointing VBoxManage at it, and a runner. */
export interface DoubleHome {
  /** The state directory (`VRS_VBOX_DOUBLE_HOME`). */
  home: string;
  /** `process.env` plus the double's variables, `LANG=C`, and `bin` first in PATH. */
  env: NodeJS.ProcessEnv;
  /** The directory holding the `VBoxManage` shim. */
  bin: string;
  /** Takes VBoxManage arguments (and optionally a cwd or extra env); runs the shim; never throws on exit codes. */
  run(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<DoubleRun>;
  /** Kills every guest writer started in this home and removes the directory. */
  cleanup(): Promise<void>;
}

/** Returns the directory of the `VBoxManage` shim (`packages/virtualbox/test-double/bin`). */
export function doubleBinDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const packageRoot = basename(here) === 'dist-double' ? dirname(here) : dirname(dirname(here));
  return join(packageRoot, 'test-double', 'bin');
}

/**
 * Takes an optional version to imitate (default 7.0.14); makes an empty temporary home for the double and
 * returns it with its environment and a runner. Call `cleanup()` when done.
 */
export async function makeDoubleHome(options: { version?: DoubleVersion } = {}): Promise<DoubleHome> {
  const home = await mkdtemp(join(tmpdir(), 'vrs-vbox-double-'));
  const bin = doubleBinDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [DOUBLE_HOME_VAR]: home,
    [DOUBLE_VERSION_VAR]: options.version ?? '7.0.14',
    LANG: 'C',
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
  };
  return {
    home,
    env,
    bin,
    run: (args, runOptions = {}) =>
      runShim(join(bin, 'VBoxManage'), args, { ...env, ...runOptions.env }, runOptions.cwd),
    cleanup: async () => {
      for (const uuid of await readdir(join(home, 'runtime')).catch(() => [] as string[])) {
        const pid = (await readRuntimeState(home, uuid).catch(() => undefined))?.writerPid;
        // Only a writer of this home: its pid may have been reused since it exited.
        if (pid === undefined || !isProcessAlive(pid, home)) continue;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

function runShim(shim: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<DoubleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(shim, args, { env, ...(cwd ? { cwd } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        exitCode: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}
