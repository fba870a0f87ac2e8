/** Takes a UUID; returns its first 8 characters, enough to tell ids apart on screen. */
export function shortId(uuid: string): string {
  return uuid.slice(0, 8);
}
