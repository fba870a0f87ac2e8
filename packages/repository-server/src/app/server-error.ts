import { type ErrorCode, VrsError } from '@vrs/protocol';

/** The repository server's own error (authorization, jobs, requests): a domain code, a message, a hint. */
export class ServerError extends VrsError {
  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; hint?: string } = {},
  ) {
    super(code, message, options);
    this.name = 'ServerError';
  }
}
