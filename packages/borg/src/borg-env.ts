import type { BorgRepo } from './repo.js';

/** The file descriptor borg reads the passphrase from (`BORG_PASSPHRASE_FD`): stdio[3] of the spawn. */
export const PASSPHRASE_FD = 3;

/**
 * Takes a repository, extra variables (e.g. `BORG_FILES_CACHE_SUFFIX`) and the parent environment; returns
 * borg's whole environment. Every inherited `BORG_*` variable is dropped (no `BORG_PASSPHRASE`, no
 * `BORG_EXIT_CODES`: legacy exit codes), as are locale variables (`LANG=C`: English messages the wrapper
 * can read); prompts are answered "no" and the passphrase comes from fd 3. Never throws.
 */
export function makeBorgEnv(
  repo: BorgRepo,
  extra: Readonly<Record<string, string>> = {},
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || key.startsWith('BORG_') || key.startsWith('LC_') || key === 'LANGUAGE') continue;
    env[key] = value;
  }
  return {
    ...env,
    LANG: 'C',
    BORG_PASSPHRASE_FD: String(PASSPHRASE_FD),
    BORG_DISPLAY_PASSPHRASE: 'no',
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'no',
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'no',
    BORG_CHECK_I_KNOW_WHAT_I_AM_DOING: 'NO',
    BORG_DELETE_I_KNOW_WHAT_I_AM_DOING: 'NO',
    ...(repo.cacheDir ? { BORG_CACHE_DIR: repo.cacheDir } : {}),
    ...(repo.baseDir ? { BORG_BASE_DIR: repo.baseDir } : {}),
    ...extra,
  };
}
