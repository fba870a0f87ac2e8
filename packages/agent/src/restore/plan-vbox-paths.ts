import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { mapVboxAttributes } from './map-vbox-attributes.js';
import { RestoreError } from './restore-error.js';
import type { VboxPathKind } from './rewrite-vbox-xml.js';

/** Where each path attribute of a `.vbox` goes in the new VM: the value to store, or null to drop it. */
export interface VboxPathPlan {
  stored: Map<string, string | null>;
  /** Saved-state files the `.vbox` names but the restore did not bring: their references are dropped. */
  droppedStateFiles: string[];
}

const KINDS = new Set([
  'HardDisk.location',
  'NVRAM.path',
  'Machine.stateFile',
  'Snapshot.stateFile',
  'Machine.snapshotFolder',
]);
const HINT =
  'Restore every file of the VM into the new folder, and give the original folder so that absolute paths into it move along.';

/** Takes a folder and a path; returns whether the path is inside it (or is it, when `orSame`). */
export function isInside(folder: string, path: string, orSame = false): boolean {
  const rel = relative(folder, path);
  if (rel === '') return orSame;
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Takes the machine folder and an absolute path; returns it as VirtualBox stores it: relative inside the folder. */
export function toSettingsPath(folder: string, path: string): string {
  return isInside(folder, path) ? relative(folder, path).split(sep).join('/') : path;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Takes the text of a restored `.vbox`, the new VM folder holding it, and the original VM's folder (if
 * the file may hold absolute paths into it); returns what every path attribute becomes. A path into the
 * original folder moves to the same place in the new one; relative paths stay as written. Saved-state
 * files that were not restored are dropped (the VM or snapshot then starts powered off); an NVRAM file
 * may be missing (VirtualBox makes a new one). Throws RestoreError INVALID_INPUT when a path leads outside
 * the new folder (the new VM would share a file with another) or a disk image is missing.
 */
export async function planVboxPaths(xml: string, folder: string, originalFolder?: string): Promise<VboxPathPlan> {
  const found: { kind: VboxPathKind; stored: string }[] = [];
  mapVboxAttributes(xml, (element, attribute, value) => {
    if (KINDS.has(`${element}.${attribute}`))
      found.push({ kind: `${element}.${attribute}` as VboxPathKind, stored: value });
    return undefined;
  });
  const plan: VboxPathPlan = { stored: new Map(), droppedStateFiles: [] };
  for (const { kind, stored } of found) {
    let path = resolve(folder, stored);
    if (originalFolder !== undefined && isInside(resolve(originalFolder), path, true))
      path = join(folder, relative(resolve(originalFolder), path));
    if (!isInside(folder, path, kind === 'Machine.snapshotFolder'))
      throw new RestoreError(
        'INVALID_INPUT',
        path,
        `the restored .vbox refers to ${path}, outside the new VM folder ${folder}`,
        { hint: HINT },
      );
    const present = await exists(path);
    if (kind === 'HardDisk.location' && !present)
      throw new RestoreError('INVALID_INPUT', path, `disk image ${path} was not restored into the new VM folder`, {
        hint: HINT,
      });
    if ((kind === 'Machine.stateFile' || kind === 'Snapshot.stateFile') && !present) {
      plan.stored.set(stored, null);
      plan.droppedStateFiles.push(path);
      continue;
    }
    plan.stored.set(stored, isAbsolute(stored) ? toSettingsPath(folder, path) : stored);
  }
  return plan;
}
