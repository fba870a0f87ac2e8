import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotFileStamp } from './format-time.js';
import type { MachineConfig } from './machine-config.js';

/**
 * Takes a machine; writes a saved-state file at `<SnapshotFolder>/YYYY-MM-DDTHH-MM-SS-NNNNNNNNNZ.sav` (the
 * name `Machine::i_composeSavedStateFilename` gives) and returns its path. The content is a small marker
 * plus 1 MiB standing for RAM, not a real SSM stream.
 */
export async function writeSavedStateFile(machine: MachineConfig): Promise<string> {
  await mkdir(machine.snapshotFolder, { recursive: true });
  const path = join(machine.snapshotFolder, `${snapshotFileStamp(Date.now())}.sav`);
  const header = Buffer.from(
    `VRS-DOUBLE-SAVED-STATE\n${JSON.stringify({ vm: machine.uuid, at: new Date().toISOString() })}\n`,
  );
  await writeFile(path, Buffer.concat([header, Buffer.alloc(1024 * 1024 - header.length)]));
  return path;
}

/** Takes a machine and its NVRAM file; copies it to `<SnapshotFolder>/<timestamp>.nvram`. Returns the copy's path. */
export async function copyNvramForSnapshot(machine: MachineConfig, nvram: string): Promise<string> {
  await mkdir(machine.snapshotFolder, { recursive: true });
  const path = join(machine.snapshotFolder, `${snapshotFileStamp(Date.now())}.nvram`);
  await copyFile(nvram, path);
  return path;
}
