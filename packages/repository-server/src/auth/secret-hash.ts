import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of a host credential or token: 256 bits. */
export const SECRET_BYTES = 32;

/**
 * Returns a new random secret (256 bits, base64url) and the hash the server stores instead of it. A fast
 * hash suffices for secrets of this entropy; passwords, which people choose, use scrypt (`password.ts`).
 */
export function makeSecret(): { secret: string; hash: string } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { secret, hash: hashSecret(secret) };
}

/** Takes a secret; returns its SHA-256 as hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Takes a presented secret and a stored hash; returns whether they match, in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
