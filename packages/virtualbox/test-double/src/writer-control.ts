import { readFileSync } from 'node:fs';
import { isProcessAlive } from './process-alive.js';
import { sleep } from './sleep.js';
import { writeJsonAtomic } from './write-json-atomic.js';
import { writerFiles } from './writer-files.js';
import type { WriterSettings } from './writer-settings.js';

/** One disk the writer writes: `disk` is the base medium's UUID (stable across snapshots), `path` the leaf image. */
export interface WriterTarget {
  disk: string;
  path: string;
}

/** What VBoxManage tells the guest writer. */
export interface WriterControl extends WriterSettings {
  /** Bumped on every change. */
  version: number;
  /** Reasons the writer must stop at a write boundary (`pause`, `snapshot`, `merge`, `freeze`, `stop`). */
  holds: string[];
  /** The version at which `holds` last became non-empty; an acknowledgement must be at least this new. */
  holdSince: number;
  targets: WriterTarget[];
  /** Bumped whenever a target changes (or its file was rewritten): the writer reopens its images. */
  targetsGeneration: number;
  /** The ACPI power button was pressed: the writer stops writing and exits after `shutdownDelayMs`. */
  shutdown: boolean;
  shutdownDelayMs: number;
}

/** What the guest writer reports. */
export interface WriterStatus {
  pid: number;
  started: boolean;
  /** The writer is idle at a write boundary because of a hold. */
  held: boolean;
  /** The control version the writer last acted on. */
  ackVersion: number;
  /** Milliseconds since the epoch when the writer exited cleanly (ACPI shutdown). */
  exitedAt?: number;
}

/** Takes a runtime directory; returns the writer control, or undefined when none exists. */
export function readWriterControl(runtimeDir: string): WriterControl | undefined {
  try {
    return JSON.parse(readFileSync(writerFiles(runtimeDir).control, 'utf8')) as WriterControl;
  } catch {
    return undefined;
  }
}

/** Takes a runtime directory; returns the writer status, or undefined when the writer has not written one. */
export function readWriterStatus(runtimeDir: string): WriterStatus | undefined {
  try {
    return JSON.parse(readFileSync(writerFiles(runtimeDir).status, 'utf8')) as WriterStatus;
  } catch {
    return undefined;
  }
}

/** Takes a runtime directory and control; writes it atomically. Call under the state lock. */
export async function writeWriterControl(runtimeDir: string, control: WriterControl): Promise<void> {
  await writeJsonAtomic(writerFiles(runtimeDir).control, control);
}

/**
 * Takes a runtime directory and a change; applies it to the control and bumps its version. Returns the
 * new control, or undefined when there is none (no VM process). Call under the state lock.
 */
export async function updateWriterControl(
  runtimeDir: string,
  change: (control: WriterControl) => void,
): Promise<WriterControl | undefined> {
  const control = readWriterControl(runtimeDir);
  if (control === undefined) return undefined;
  const wasHeld = control.holds.length > 0;
  change(control);
  control.version += 1;
  if (!wasHeld && control.holds.length > 0) control.holdSince = control.version;
  await writeWriterControl(runtimeDir, control);
  return control;
}

/**
 * Takes a runtime directory, a hold reason and the writer's pid; asks the writer to stop at its next write
 * boundary and waits until it acknowledges. Returns true once held, false when the writer is gone. A writer
 * already held (e.g. paused and SIGSTOPped) counts as acknowledged. Throws when a live writer does not
 * answer within `timeoutMs`: going on would let it write while its images are switched or merged.
 */
export async function holdWriter(
  runtimeDir: string,
  reason: string,
  pid: number,
  timeoutMs = 30_000,
): Promise<boolean> {
  const control = await updateWriterControl(runtimeDir, (c) => {
    if (!c.holds.includes(reason)) c.holds.push(reason);
  });
  if (control === undefined) return false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = readWriterStatus(runtimeDir);
    if (status?.held && status.ackVersion >= control.holdSince) return true;
    if (!isProcessAlive(pid)) return false;
    if (Date.now() > deadline) throw new Error(`the guest writer ${pid} did not stop within ${timeoutMs} ms`);
    await sleep(2);
  }
}

/** Takes a runtime directory and a hold reason; lets the writer go on (once no other hold remains). */
export async function releaseWriter(runtimeDir: string, reason: string): Promise<void> {
  await updateWriterControl(runtimeDir, (c) => {
    c.holds = c.holds.filter((h) => h !== reason);
  });
}
