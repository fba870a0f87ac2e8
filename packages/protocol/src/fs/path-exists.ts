import { access } from 'node:fs/promises';

/** Takes a path; returns whether something exists there (a file, a directory, a link that resolves). */
export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
