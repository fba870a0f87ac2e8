import { createHash } from 'node:crypto';

/** Takes a certificate in DER form; returns `SHA256:<base64, no padding>`, the form agents pin at enrollment. */
export function fingerprintOfDer(der: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/** A certificate fingerprint as `vrs-agent enroll --fingerprint` takes it. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
