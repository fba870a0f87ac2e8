import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Takes the machine folder and an absolute path; returns the path as VirtualBox stores it
 * (`setAttributePath`): relative to the machine folder when inside it, absolute otherwise.
 */
export function toSettingsPath(machineFolder: string, path: string): string {
  const rel = relative(machineFolder, path);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return path;
}

/** Takes the machine folder and a stored path; returns it absolute. */
export function fromSettingsPath(machineFolder: string, stored: string): string {
  return resolve(machineFolder, stored);
}
