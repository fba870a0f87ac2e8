import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import { machineExtraData } from './extra-data.js';
import { isProcessAlive } from './process-alive.js';
import { sleep } from './sleep.js';
import { readWriterStatus, writeWriterControl } from './writer-control.js';
import { writerFiles } from './writer-files.js';
import { parseWriterSettings, WRITER_SETTINGS_KEY } from './writer-settings.js';
import { writerTargets } from './writer-targets.js';

/** Extra data key: milliseconds the guest takes to shut down after the ACPI power button (default 200). */
export const ACPI_DELAY_KEY = 'vrs-double/acpi-shutdown-ms';

const WRITER_JS = fileURLToPath(new URL('./guest-writer.js', import.meta.url));

/**
 * Takes the state and a machine; writes the writer's control file (targets from the current attachments,
 * settings from the `vrs-double/guest-writer` extra data) and spawns the guest writer detached. Returns its
 * pid once it reported itself started. Throws when it does not start within 30 s.
 */
export async function startGuestWriter(state: DoubleState, machine: AccessibleMachine): Promise<number> {
  const dir = machine.runtimeDir;
  const files = writerFiles(dir);
  await mkdir(dir, { recursive: true });
  await rm(files.status, { force: true });
  await writeWriterControl(dir, {
    ...parseWriterSettings(machineExtraData(machine.config, WRITER_SETTINGS_KEY)),
    version: 1,
    holds: [],
    holdSince: 0,
    targets: writerTargets(state, machine),
    targetsGeneration: 1,
    shutdown: false,
    shutdownDelayMs: Number(machineExtraData(machine.config, ACPI_DELAY_KEY) ?? 200) || 0,
  });
  const stderr = openSync(files.stderr, 'a');
  const { NODE_EXTRA_CA_CERTS: _certs, ...env } = process.env;
  const child = spawn(process.execPath, [WRITER_JS, dir], { detached: true, env, stdio: ['ignore', 'ignore', stderr] });
  closeSync(stderr);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('the guest writer did not start');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const status = readWriterStatus(dir);
    if (status?.started && status.pid === pid) return pid;
    if (!isProcessAlive(pid)) break;
    await sleep(5);
  }
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  throw new Error(`the guest writer did not start (see ${files.stderr})`);
}

/** Takes a writer pid; kills it and waits until it is gone. */
export async function killGuestWriter(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(2);
}
