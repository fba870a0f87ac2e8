import { isAbsolute } from 'node:path';
import { checkArchiveName } from './check-archive-name.js';
import { escapePlaceholders } from './escape-placeholders.js';
import { invalidInput } from './invalid-input.js';
import type { BorgRepo } from './repo.js';

/**
 * Takes a repository and optionally an archive name; returns borg's location argument (`PATH` or
 * `PATH::ARCHIVE`) with placeholders escaped. Throws INVALID_INPUT for a relative path, a path holding `::`
 * or a bad archive name.
 */
export function repoLocation(repo: BorgRepo, archive?: string): string {
  if (!isAbsolute(repo.path) || repo.path.includes('::')) {
    throw invalidInput(`the repository path must be absolute and hold no "::": ${JSON.stringify(repo.path)}`);
  }
  const location = archive === undefined ? repo.path : `${repo.path}::${checkArchiveName(archive)}`;
  return escapePlaceholders(location);
}
