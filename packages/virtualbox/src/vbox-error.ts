import { type ErrorCode, VrsError } from '@vrs/protocol';

/** What a failed VBoxManage run left: the argv (secrets masked), exit code and every stderr line. */
export interface VBoxFailure {
  argv: readonly string[];
  exitCode: number | undefined;
  stdout: string;
  stderrLines: string[];
}

/**
 * The VirtualBox driver's error: a domain code (VM_NOT_FOUND, VM_LOCKED, INVALID_VM_STATE, MEDIUM_LOCKED,
 * SNAPSHOT_NOT_FOUND, GUEST_EXEC_FAILED, VBOX_UNAVAILABLE, VBOXMANAGE_FAILED), VBoxManage's own message,
 * its HRESULT name when it printed one, and all of its stderr.
 */
export class VBoxError extends VrsError {
  readonly exitCode: number | undefined;
  readonly hresult: string | undefined;
  readonly stderrLines: string[];
  readonly argv: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    failure: VBoxFailure,
    options: { hresult?: string; cause?: unknown } = {},
  ) {
    super(code, message, {
      cause: options.cause,
      details: { argv: failure.argv, exitCode: failure.exitCode, stderr: failure.stderrLines },
    });
    this.name = 'VBoxError';
    this.exitCode = failure.exitCode;
    this.hresult = options.hresult;
    this.stderrLines = failure.stderrLines;
    this.argv = failure.argv;
  }
}
