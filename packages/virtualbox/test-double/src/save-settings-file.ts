import { open, rename, stat } from 'node:fs/promises';

/**
 * Takes a settings file path and its new text; replaces the file the way IPRT's XmlFileWriter does
 * (reference §2): write `<file>-tmp` and flush it, move the old file to `<file>-prev`, rename the tmp file
 * into place. A reader never sees a half-written file.
 */
export async function saveSettingsFile(path: string, content: string): Promise<void> {
  const tmp = `${path}-tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) await rename(path, `${path}-prev`);
  await rename(tmp, path);
}
