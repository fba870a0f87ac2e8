import { type ErrorCode, VrsError } from '@vrs/protocol';

/** The mirror store's error: INVALID_INPUT, MIRROR_INCOMPLETE, BLOCK_HASH_MISMATCH, MANIFEST_INVALID or DISK_FULL. */
export class MirrorError extends VrsError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, options);
    this.name = 'MirrorError';
  }
}

/** Takes an error thrown by node:fs; returns it as a MirrorError (DISK_FULL for ENOSPC/EDQUOT), or as is. */
export function fsFailure(error: unknown, doing: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new MirrorError('DISK_FULL', `no space left while ${doing}`, { cause: error });
  }
  return error;
}
