import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ServiceError } from './service-error.js';

/**
 * Takes a path and text; writes it atomically (temporary file, fsync, rename) with mode 0644, which both
 * systemd and launchd require (launchd ignores a group- or world-writable plist). Returns the text the file
 * held before, or null. Throws ServiceError FORBIDDEN when not allowed to write there.
 */
export async function writeServiceFile(path: string, text: string): Promise<string | null> {
  try {
    const before = await readFile(path, 'utf8').catch(() => null);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.chmod(0o644);
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
    return before;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      throw new ServiceError('FORBIDDEN', `cannot write ${path}: ${code}`, {
        hint: 'Run it as root: sudo vrs-agent service install.',
        cause: error,
      });
    throw error;
  }
}
