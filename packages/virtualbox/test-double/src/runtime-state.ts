import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runtimeDir } from './double-paths.js';
import type { MachineStateName } from './machine-state.js';
import { writeJsonAtomic } from './write-json-atomic.js';

/** A long operation (snapshot take/delete, savestate, poweroff) in flight in some VBoxManage process. */
export interface RuntimeOperation {
  kind: 'take' | 'delete' | 'savestate' | 'poweroff';
  pid: number;
  /** The state to return to if that process dies. */
  resumeState: MachineStateName;
}

/** What VBoxSVC would keep in memory about a VM: its state, session and VM process. */
export interface RuntimeState {
  state: MachineStateName;
  /** Milliseconds since the epoch (VirtualBox keeps LastStateChange in ms). */
  stateChangeMs: number;
  /** Present while a session (VM process or long operation) holds the machine. */
  sessionName?: string;
  /** The guest writer's pid while the VM process runs. */
  writerPid?: number;
  /** The guest CPU is suspended: the writer is held at a write boundary and SIGSTOPped. */
  guestPaused?: boolean;
  /** `acpipowerbutton` was pressed; the writer's exit then means a clean power-off. */
  acpiRequested?: boolean;
  /** Mount points frozen with `fsfreeze --freeze`. */
  frozen?: string[];
  operation?: RuntimeOperation;
}

/** Takes the double's home and a VM UUID; returns the runtime state file path. */
export function runtimeStatePath(home: string, vmUuid: string): string {
  return join(runtimeDir(home, vmUuid), 'state.json');
}

/** Takes the double's home and a VM UUID; returns its runtime state, or undefined when none was written. */
export async function readRuntimeState(home: string, vmUuid: string): Promise<RuntimeState | undefined> {
  const text = await readFile(runtimeStatePath(home, vmUuid), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as RuntimeState);
}

/** Takes the double's home, a VM UUID and its runtime state; writes it atomically. */
export async function writeRuntimeState(home: string, vmUuid: string, state: RuntimeState): Promise<void> {
  await mkdir(runtimeDir(home, vmUuid), { recursive: true });
  await writeJsonAtomic(runtimeStatePath(home, vmUuid), state);
}
