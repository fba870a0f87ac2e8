/**
 * Takes a byte limit; returns stdin as text: a password piped in (all of it), or typed on a terminal (up to
 * the first Enter). Throws past the limit, so a wrong file piped in never fills memory.
 */
export async function readStdin(limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`stdin is longer than ${limit} bytes`);
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && String(chunk).includes('\n')) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
