import { invalidInput } from './invalid-input.js';

/**
 * Takes the paths given to borg after the location (files to archive, extract or list); returns them.
 * Throws INVALID_INPUT for an empty path or one starting with `-` (borg would read it as an option).
 */
export function checkPaths(paths: readonly string[]): string[] {
  for (const path of paths) {
    if (path.length === 0 || path.startsWith('-') || path.includes('\0')) {
      throw invalidInput(`invalid path ${JSON.stringify(path)}: paths must be non-empty and not start with "-"`);
    }
  }
  return [...paths];
}
