import { type ErrorCode, VrsError } from '@vrs/protocol';

/**
 * The catalog's error: a migration that failed or cannot be applied (INTERNAL, with `details.migration` and
 * Prisma's matching error code in `details.prismaCode`), or a corrupt JSON column (INTERNAL).
 */
export class CatalogError extends VrsError {
  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; hint?: string } = {},
  ) {
    super(code, message, options);
    this.name = 'CatalogError';
  }
}
