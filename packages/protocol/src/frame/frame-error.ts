import type { ErrorCode } from '../errors/error-codes.js';
import { VrsError } from '../errors/vrs-error.js';

/** The frame decoder's error: FRAME_TRUNCATED, FRAME_MALFORMED, FRAME_TOO_LARGE or BLOCK_HASH_MISMATCH. */
export class FrameError extends VrsError {
  constructor(
    code: Extract<ErrorCode, 'FRAME_TRUNCATED' | 'FRAME_MALFORMED' | 'FRAME_TOO_LARGE' | 'BLOCK_HASH_MISMATCH'>,
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { cause });
    this.name = 'FrameError';
  }
}
