import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceError } from './service-error.js';

/** The repository's `infra/` directory (from `src/service/` and from `dist/service/` alike). */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../../../infra/', import.meta.url));

/**
 * Takes a template path under the template directory, the directory, and the placeholder values (already
 * escaped for the file's syntax); returns the text with every `{{name}}` filled. Throws ServiceError
 * INVALID_INPUT when the template names a placeholder without a value (or a value is never used), so a
 * template and its code cannot drift apart silently.
 */
export async function renderTemplate(
  file: string,
  values: Record<string, string>,
  dir = DEFAULT_TEMPLATE_DIR,
): Promise<string> {
  const text = await readFile(join(dir, file), 'utf8');
  const used = new Set<string>();
  const out = text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new ServiceError('INVALID_INPUT', `${file} has a placeholder {{${name}}} with no value`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new ServiceError('INVALID_INPUT', `${file} does not use ${unused.join(', ')}`);
  return out;
}
