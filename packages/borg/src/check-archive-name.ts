import { invalidInput } from './invalid-input.js';

/**
 * Takes an archive name; returns it when borg takes it as a plain name. Throws INVALID_INPUT when it is empty,
 * longer than 255 characters, starts with `-`, or holds `/`, `::`, braces or control characters.
 */
export function checkArchiveName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  const bad = name.length === 0 || name.length > 255 || /^-|\/|::|[{}]|[\u0000-\u001f\u007f]/.test(name);
  if (bad) throw invalidInput(`invalid archive name ${JSON.stringify(name)}`);
  return name;
}
