import { type ErrorCode, VrsError } from '@vrs/protocol';

/** The block engine's error: IMAGE_UNREADABLE, IMAGE_CORRUPT or IMAGE_TRUNCATED, naming the file. */
export class ImageError extends VrsError {
  readonly path: string;

  constructor(
    code: Extract<ErrorCode, 'IMAGE_UNREADABLE' | 'IMAGE_CORRUPT' | 'IMAGE_TRUNCATED'>,
    path: string,
    message: string,
    cause?: unknown,
  ) {
    super(code, `${path}: ${message}`, { cause, details: { path } });
    this.name = 'ImageError';
    this.path = path;
  }
}
