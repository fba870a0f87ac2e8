import type { BorgRepo } from '../../src/index.js';

/** A repository for argv tests: nothing runs, so the paths need not exist. */
export const repo: BorgRepo = { path: '/srv/vrs/repos/vm-1', passphraseFile: '/srv/vrs/secrets/vm-1.passphrase' };

/** The flags every repository command gets with the default lock wait. */
export const COMMON = ['--log-json', '--lock-wait', '1'];

/** Takes a function; returns the domain code of the error it throws (or 'no error'). */
export function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
  return 'no error';
}
