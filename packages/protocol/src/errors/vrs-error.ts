import { type ErrorCode, hintFor } from './error-codes.js';

/**
 * The base of every vrs error: a domain `code`, a message for people, the next step (`hint`), optional
 * structured `details` (never secrets) and the original `cause`. Each boundary subclasses it once.
 */
export class VrsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; hint?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VrsError';
    this.code = code;
    this.hint = options.hint ?? hintFor(code);
    this.details = options.details ?? {};
  }
}
