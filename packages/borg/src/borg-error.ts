import { type ErrorCode, VrsError } from '@vrs/protocol';

/** What a {@link BorgError} knows about the borg run that failed. */
export interface BorgErrorInit {
  /** The borg command, e.g. `create` or `key export`. */
  command?: string;
  exitCode?: number | undefined;
  /** borg's message id from `--log-json`, e.g. `Repository.DoesNotExist`. */
  msgid?: string | undefined;
  /** The last stderr lines (progress lines left out). */
  stderrTail?: string[];
  /** The argv that ran, secrets masked. */
  argv?: string[];
  hint?: string;
  cause?: unknown;
}

/**
 * The borg wrapper's error: a domain code (REPO_NOT_FOUND, REPO_LOCKED, REPO_PASSPHRASE_WRONG, BORG_FAILED, …),
 * a message naming the borg command and borg's own words, and the run's exit code, msgid, stderr tail and
 * masked argv (also kept in `details`).
 */
export class BorgError extends VrsError {
  readonly exitCode: number | undefined;
  readonly msgid: string | undefined;
  readonly stderrTail: string[];
  readonly argv: string[];

  constructor(code: ErrorCode, message: string, init: BorgErrorInit = {}) {
    const stderrTail = init.stderrTail ?? [];
    const argv = init.argv ?? [];
    super(code, message, {
      cause: init.cause,
      ...(init.hint === undefined ? {} : { hint: init.hint }),
      details: { command: init.command, exitCode: init.exitCode, msgid: init.msgid, stderrTail, argv },
    });
    this.name = 'BorgError';
    this.exitCode = init.exitCode;
    this.msgid = init.msgid;
    this.stderrTail = stderrTail;
    this.argv = argv;
  }
}
