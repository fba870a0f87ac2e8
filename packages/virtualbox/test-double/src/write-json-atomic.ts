import { rename, writeFile } from 'node:fs/promises';

/** Takes a path and a value; writes it as JSON through a temporary file and a rename (never torn). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}
