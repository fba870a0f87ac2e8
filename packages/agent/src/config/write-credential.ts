import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir } from '@vrs/protocol';
import { agentLogger } from '../agent-logger.js';
import { checkPrivate } from './check-private.js';
import { ConfigError } from './config-error.js';
import { credentialPath } from './credential-file.js';
import { describeIssues, EnrolledCredential, type EnrolledCredentialInput } from './credential-schema.js';
import { getConfigDir } from './get-config-dir.js';

/**
 * Takes the enrolled credential and the config directory (default `getConfigDir()`); stores it atomically
 * (a 0600 temporary file in the same directory, fsynced, renamed over the old one, the directory fsynced)
 * in a directory created 0700. Returns the file's path. Throws ConfigError INVALID_INPUT for a credential
 * that does not validate (fields named, values not), UNAUTHENTICATED when the directory already exists open
 * to others (it is refused, not chmodded: see `checkPrivate`), or the file system's errors.
 */
export async function writeCredential(credential: EnrolledCredentialInput, dir = getConfigDir()): Promise<string> {
  const parsed = EnrolledCredential.safeParse(credential);
  const path = credentialPath(dir);
  if (!parsed.success)
    throw new ConfigError('INVALID_INPUT', path, `refusing to store: ${describeIssues(parsed.error)}`);
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const dirStats = await stat(dir);
  if (!dirStats.isDirectory()) throw new ConfigError('INVALID_INPUT', dir, 'is not a directory');
  checkPrivate(dirStats, dir, 'directory');
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      if (process.platform !== 'win32') await handle.chmod(0o600);
      await handle.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
  agentLogger('config').info({ path, hostId: parsed.data.hostId, server: parsed.data.server }, 'credential stored');
  return path;
}
