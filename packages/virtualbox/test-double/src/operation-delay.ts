import { existsSync } from 'node:fs';
import { machineExtraData } from './extra-data.js';
import type { MachineConfig } from './machine-config.js';
import { sleep } from './sleep.js';

/**
 * Extra data key: milliseconds a long operation (snapshot take/delete, savestate) stays in its transient
 * state before it works, so tests can watch `onlinesnapshotting`, `saving`, … Default 0.
 */
export const OPERATION_DELAY_KEY = 'vrs-double/operation-delay-ms';

/**
 * Extra data key: a file path. While that file exists, a long operation waits in its transient state
 * (after the delay). A test creates the file, starts the operation, looks, then deletes the file.
 */
export const OPERATION_GATE_KEY = 'vrs-double/operation-gate';

/** What holds a long operation in its transient state. */
export interface OperationHold {
  delayMs: number;
  gate?: string;
}

/** Takes a machine; returns its operation delay and gate. */
export function operationHold(machine: MachineConfig): OperationHold {
  const value = Number(machineExtraData(machine, OPERATION_DELAY_KEY) ?? 0);
  const gate = machineExtraData(machine, OPERATION_GATE_KEY);
  return { delayMs: Number.isFinite(value) && value > 0 ? value : 0, ...(gate ? { gate } : {}) };
}

/** Takes an operation hold; waits out the delay, then while the gate file exists (at most 10 minutes). */
export async function waitOperationHold(hold: OperationHold): Promise<void> {
  await sleep(hold.delayMs);
  const deadline = Date.now() + 600_000;
  while (hold.gate !== undefined && existsSync(hold.gate) && Date.now() < deadline) await sleep(20);
}
