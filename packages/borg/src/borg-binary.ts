let binary = 'borg';

/** Takes the borg executable (a name looked up in PATH, or a path); later runs use it. Returns nothing. */
export function setBorgBinary(path: string): void {
  binary = path;
}

/** Returns the borg executable runs use: `borg` unless {@link setBorgBinary} changed it. */
export function borgBinary(): string {
  return binary;
}
