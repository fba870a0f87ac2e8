/**
 * A local borg repository owned by the server, with the files borg needs to open it. The passphrase lives
 * only in `passphraseFile` (mode 0600): it is handed to borg through a pipe, never through argv or the
 * environment.
 */
export interface BorgRepo {
  /** Absolute path of the repository directory. */
  path: string;
  /** File holding the repository passphrase (one line, mode 0600). */
  passphraseFile: string;
  /** Seconds borg waits for the repository lock (`--lock-wait`); default {@link DEFAULT_LOCK_WAIT_SECONDS}. */
  lockWaitSeconds?: number;
  /** borg's cache directory (`BORG_CACHE_DIR`). */
  cacheDir?: string;
  /** borg's base directory (`BORG_BASE_DIR`): keeps its config, keys and security dirs out of `$HOME`. */
  baseDir?: string;
}

/** The `--lock-wait` used when a repository does not set `lockWaitSeconds`. */
export const DEFAULT_LOCK_WAIT_SECONDS = 1;
