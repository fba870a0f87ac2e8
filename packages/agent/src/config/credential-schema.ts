import { DisplayName, Uuid } from '@vrs/protocol';
import { z } from 'zod';

/** Takes text; returns whether it is exactly `wss://HOST:PORT` (no user, path, query or fragment). */
export function isServerUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  const bare = `wss://${url.host}`;
  return url.protocol === 'wss:' && url.port !== '' && url.username === '' && url.password === '' && text === bare;
}

/** The server's address as the agent dials it: `wss://HOST:PORT`, TLS always. */
export const ServerUrl = z
  .string()
  .max(300)
  .refine(isServerUrl, 'expected wss://HOST:PORT')
  .describe('the server, as wss://HOST:PORT');

/** The server certificate's pinned fingerprint: `SHA256:` and the base64 (unpadded) of its DER's SHA-256. */
export const Fingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'expected SHA256: and 43 base64 characters')
  .describe('the pinned server certificate, SHA256:<base64>');

/** The host's secret: 256 random bits as 43 base64url characters, as the server issues it. */
export const HostSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'expected 43 base64url characters (256 bits)')
  .describe('the host credential (secret; never logged)');

/** What `vrs-agent enroll` stores and `vrs-agent run` reads: where the server is and who this host is. */
export const EnrolledCredential = z.object({
  version: z.literal(1).default(1).describe('file format version'),
  server: ServerUrl,
  fingerprint: Fingerprint,
  hostId: Uuid.describe('the host id the server assigned'),
  hostName: DisplayName.describe('the host name the server assigned'),
  credential: HostSecret,
});
export type EnrolledCredential = z.infer<typeof EnrolledCredential>;
/** What `writeCredential` takes: the same, `version` optional. */
export type EnrolledCredentialInput = z.input<typeof EnrolledCredential>;

/**
 * Takes a zod error; returns every invalid field with its path, in one line, without the values (the
 * credential must never reach a message).
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(file)'}: ${i.message}`).join('; ');
}
