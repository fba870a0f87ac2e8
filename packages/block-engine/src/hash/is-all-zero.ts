const ZEROS = Buffer.alloc(1024 * 1024);

/** Takes bytes; returns whether every one is zero (memcmp against a shared zero page, 1 MiB at a time). */
export function isAllZero(data: Uint8Array): boolean {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 0; at < view.length; at += ZEROS.length) {
    const part = view.subarray(at, Math.min(view.length, at + ZEROS.length));
    if (!part.equals(ZEROS.subarray(0, part.length))) return false;
  }
  return true;
}
