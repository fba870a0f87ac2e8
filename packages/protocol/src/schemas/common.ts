import { z } from 'zod';

/** A lower-case RFC 4122 UUID without braces, as VBoxManage prints it. */
export const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lower-case UUID')
  .describe('UUID, lower case, no braces');

/** An ISO-8601 UTC timestamp string (tRPC without a transformer sends Dates as these). */
export const Timestamp = z.iso.datetime().describe('ISO-8601 UTC time');

/** A display name: printable, bounded, never used to build a path. */
export const DisplayName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'control characters are not allowed')
  .describe('a name for people; never a path component');

/** A BLAKE3-256 digest as 64 lower-case hex characters. */
export const HashHex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters');

/** Byte counts: non-negative safe integers. */
export const ByteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
