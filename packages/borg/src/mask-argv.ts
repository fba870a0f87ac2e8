/**
 * Takes an argv; returns a copy safe to log: URL credentials (`ssh://user:secret@host`) and `NAME=value`
 * assignments of passphrase-like variables are replaced by `***`. Never throws.
 */
export function maskArgv(argv: readonly string[]): string[] {
  return argv.map((arg) =>
    arg
      .replace(/(\/\/[^/:@\s]+:)[^/@\s]+@/g, '$1***@')
      .replace(/^((?:BORG_)?(?:NEW_)?PASS(?:PHRASE|COMMAND|WORD)=).*$/i, '$1***'),
  );
}
