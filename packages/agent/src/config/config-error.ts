import { type ErrorCode, VrsError } from '@vrs/protocol';

/**
 * The agent configuration boundary's error: UNAUTHENTICATED (no credential, or one that cannot be trusted)
 * or INVALID_INPUT (a damaged file, a bad directory setting), naming the file and what to do. It never
 * carries the credential, nor the file's text (a JSON syntax error quotes it).
 */
export class ConfigError extends VrsError {
  readonly path: string;

  constructor(code: ErrorCode, path: string, message: string, hint?: string) {
    super(code, `${path}: ${message}`, { details: { path }, ...(hint === undefined ? {} : { hint }) });
    this.name = 'ConfigError';
    this.path = path;
  }
}
