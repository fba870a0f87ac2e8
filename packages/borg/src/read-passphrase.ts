import { open } from 'node:fs/promises';
import { BorgError } from './borg-error.js';
import { borgLogger } from './borg-logger.js';

/**
 * Takes a passphrase file; returns its first line plus `\n`, as bytes for borg's passphrase pipe (the caller
 * zeroes them after use). Logs a warning when group or others may read the file. Throws BorgError
 * REPO_PASSPHRASE_WRONG when the file cannot be read or is empty.
 */
export async function readPassphrase(file: string): Promise<Buffer> {
  let content: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const { mode } = await handle.stat();
      if ((mode & 0o077) !== 0) {
        borgLogger().warn(
          { file, mode: (mode & 0o777).toString(8) },
          'passphrase file is readable by others: chmod 600',
        );
      }
      content = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new BorgError('REPO_PASSPHRASE_WRONG', `cannot read the passphrase file ${file}: ${why}`, { cause: error });
  }
  const end = content.indexOf(0x0a);
  let line = end === -1 ? content : content.subarray(0, end);
  if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
  if (line.length === 0) throw new BorgError('REPO_PASSPHRASE_WRONG', `the passphrase file ${file} is empty`);
  const bytes = Buffer.concat([line, Buffer.from('\n')]);
  content.fill(0);
  return bytes;
}
