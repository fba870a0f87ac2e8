import type { ErrorCode } from '@vrs/protocol';
import { BorgError } from './borg-error.js';
import type { BorgLogMessage } from './progress.js';

/** What is known about a borg run that ended in error (legacy exit code 2, a signal, or no exit at all). */
export interface BorgFailure {
  /** The borg command, e.g. `create`. */
  command: string;
  exitCode: number | undefined;
  /** The log messages borg wrote (`--log-json`), oldest first. */
  messages: readonly BorgLogMessage[];
  stderrTail: string[];
  /** The argv that ran, secrets masked. */
  argv: string[];
}

/** borg's msgids (exception class names, `--log-json`) → domain codes and, where the code's own hint misleads, a hint. */
const MSGID_CODES: Readonly<Record<string, { code: ErrorCode; hint?: string }>> = {
  'Repository.DoesNotExist': { code: 'REPO_NOT_FOUND' },
  'Repository.InvalidRepository': { code: 'REPO_NOT_FOUND' },
  'Repository.ParentPathDoesNotExist': { code: 'REPO_NOT_FOUND' },
  LockTimeout: { code: 'REPO_LOCKED' },
  LockFailed: { code: 'REPO_LOCKED' },
  LockError: { code: 'REPO_LOCKED' },
  LockErrorT: { code: 'REPO_LOCKED' },
  PassphraseWrong: { code: 'REPO_PASSPHRASE_WRONG' },
  NoPassphraseFailure: { code: 'REPO_PASSPHRASE_WRONG' },
  'Archive.DoesNotExist': { code: 'SNAPSHOT_NOT_FOUND' },
  'Repository.InsufficientFreeSpaceError': { code: 'DISK_FULL' },
  'Cache.RepositoryAccessAborted': {
    code: 'BORG_FAILED',
    hint: 'borg refused a repository that moved or changed since it last saw it: the stderr tail holds its question.',
  },
  'Archive.AlreadyExists': { code: 'CONFLICT', hint: 'An archive of that name exists: pick another name.' },
  'Repository.AlreadyExists': { code: 'CONFLICT', hint: 'A repository exists at that path: use it, or pick another.' },
};

const isError = (m: BorgLogMessage): boolean => m.levelname === 'ERROR' || m.levelname === 'CRITICAL';
const DISK_FULL = /No space left on device|\[Errno 28\]|ENOSPC/;

/**
 * Takes a failed borg run; returns the BorgError to throw. The code comes from borg's msgid (REPO_NOT_FOUND,
 * REPO_LOCKED, REPO_PASSPHRASE_WRONG, SNAPSHOT_NOT_FOUND, DISK_FULL, CONFLICT), from "No space left on device"
 * (DISK_FULL), else BORG_FAILED; the message names the command and quotes borg's error. Never throws.
 */
export function borgErrorFor(failure: BorgFailure): BorgError {
  const errors = failure.messages.filter(isError);
  const withId = [...errors].reverse().find((m) => m.msgid !== undefined);
  const msgid = withId?.msgid;
  const said = withId?.message ?? errors.at(-1)?.message ?? failure.stderrTail.at(-1);
  const exit = failure.exitCode === undefined ? 'no exit code' : `exit code ${failure.exitCode}`;
  const message = `borg ${failure.command} failed: ${said ?? exit}`;
  const mapped = msgid === undefined ? undefined : MSGID_CODES[msgid];
  const texts = [...failure.messages.map((m) => m.message), ...failure.stderrTail];
  const code: ErrorCode = mapped?.code ?? (texts.some((t) => DISK_FULL.test(t)) ? 'DISK_FULL' : 'BORG_FAILED');
  return new BorgError(code, message, {
    command: failure.command,
    exitCode: failure.exitCode,
    msgid,
    stderrTail: failure.stderrTail,
    argv: failure.argv,
    ...(mapped?.hint === undefined ? {} : { hint: mapped.hint }),
  });
}
