import { open, stat } from 'node:fs/promises';
import { checkPrivate } from './check-private.js';
import { ConfigError } from './config-error.js';
import { credentialPath } from './credential-file.js';
import { describeIssues, EnrolledCredential } from './credential-schema.js';
import { getConfigDir } from './get-config-dir.js';

/** A credential file is a few hundred bytes; anything much larger is not one. */
const MAX_BYTES = 64 * 1024;

const NOT_ENROLLED = 'Enroll this host: vrs-agent enroll --server wss://HOST:PORT --token T --fingerprint SHA256:…';
const DAMAGED = 'Enroll the host again (create a new token on the server) to rewrite the file.';

/**
 * Takes the config directory (default `getConfigDir()`); returns the enrolled credential, validated. The
 * secret is a non-enumerable property: `credential.credential` reads it, but JSON, spreads and loggers
 * never see it. Throws ConfigError UNAUTHENTICATED when there is no credential (not enrolled) or when the
 * file or its directory is open to other users or owned by someone else (refused, see `checkPrivate`),
 * INVALID_INPUT when the file is damaged (not JSON, too large, or fields invalid: every one named).
 */
export async function readCredential(dir = getConfigDir()): Promise<EnrolledCredential> {
  const path = credentialPath(dir);
  const dirStats = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new ConfigError('UNAUTHENTICATED', path, 'this host is not enrolled', NOT_ENROLLED);
    throw error;
  });
  checkPrivate(dirStats, dir, 'directory');
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new ConfigError('UNAUTHENTICATED', path, 'this host is not enrolled', NOT_ENROLLED);
    throw error;
  });
  let text: string;
  try {
    const fileStats = await handle.stat();
    checkPrivate(fileStats, path, 'file');
    if (fileStats.size > MAX_BYTES)
      throw new ConfigError('INVALID_INPUT', path, `is ${fileStats.size} bytes, not a credential file`, DAMAGED);
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The SyntaxError quotes the text around the fault, which may be the secret: keep neither it nor the cause.
    throw new ConfigError('INVALID_INPUT', path, 'is damaged: not valid JSON', DAMAGED);
  }
  const parsed = EnrolledCredential.safeParse(json);
  if (!parsed.success)
    throw new ConfigError('INVALID_INPUT', path, `is damaged: ${describeIssues(parsed.error)}`, DAMAGED);
  return hideSecret(parsed.data);
}

/** Takes a credential; returns a frozen copy whose `credential` field is non-enumerable. */
export function hideSecret(c: EnrolledCredential): EnrolledCredential {
  const { credential, ...rest } = c;
  const out = { ...rest } as EnrolledCredential;
  Object.defineProperty(out, 'credential', { value: credential, enumerable: false });
  return Object.freeze(out);
}
