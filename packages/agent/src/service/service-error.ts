import { type ErrorCode, VrsError } from '@vrs/protocol';

/**
 * The service-manager boundary's error: INVALID_INPUT (an option the service file cannot hold), FORBIDDEN
 * (not run as root/administrator), INTERNAL (systemctl, launchctl or the Windows service manager failed:
 * its argv, exit code and stderr lines are kept).
 */
export class ServiceError extends VrsError {
  readonly argv: readonly string[];
  readonly stderrLines: string[];

  constructor(
    code: ErrorCode,
    message: string,
    o: { argv?: readonly string[]; exitCode?: number; stderrLines?: string[]; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, {
      cause: o.cause,
      details: { argv: o.argv ?? [], exitCode: o.exitCode, stderr: o.stderrLines ?? [] },
      ...(o.hint === undefined ? {} : { hint: o.hint }),
    });
    this.name = 'ServiceError';
    this.argv = o.argv ?? [];
    this.stderrLines = o.stderrLines ?? [];
  }
}
