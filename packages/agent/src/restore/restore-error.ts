import { type ErrorCode, VrsError } from '@vrs/protocol';

/**
 * The restore boundary's error: INVALID_INPUT (the restored files cannot make a VM: a file missing, a
 * reference outside the new VM folder, an unsupported image), DISK_FULL, CONFLICT, naming the file
 * concerned. VirtualBox's own failures stay VBoxError.
 */
export class RestoreError extends VrsError {
  readonly path: string;

  constructor(code: ErrorCode, path: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { details: { path }, ...options });
    this.name = 'RestoreError';
    this.path = path;
  }
}
