import { BorgError } from './borg-error.js';

/**
 * Takes borg's `--json` stdout and the command; returns the parsed object. Throws BorgError BORG_FAILED when it
 * is not a JSON object.
 */
export function parseBorgJson(stdout: string, command: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new BorgError('BORG_FAILED', `borg ${command} printed no readable JSON`, { command, cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BorgError('BORG_FAILED', `borg ${command} printed JSON that is not an object`, { command });
  }
  return parsed as Record<string, unknown>;
}
