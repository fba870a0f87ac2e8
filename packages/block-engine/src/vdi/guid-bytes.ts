import { bytesToUuid, uuidToBytes } from '@vrs/protocol';

/**
 * Takes 16 bytes of an IPRT RTUUID as a VDI stores it (the first three groups little-endian, like a
 * Microsoft GUID; reference/virtualbox.md §3.1); returns the UUID text VirtualBox prints.
 */
export function guidBytesToUuid(bytes: Uint8Array): string {
  return bytesToUuid(swapGuid(bytes));
}

/** Takes a UUID string; returns its 16 bytes in the GUID layout VDI headers use. */
export function uuidToGuidBytes(uuid: string): Uint8Array {
  return swapGuid(uuidToBytes(uuid));
}

function swapGuid(b: Uint8Array): Uint8Array {
  const o = Uint8Array.from(b.subarray(0, 16));
  o.set([b[3] ?? 0, b[2] ?? 0, b[1] ?? 0, b[0] ?? 0, b[5] ?? 0, b[4] ?? 0, b[7] ?? 0, b[6] ?? 0], 0);
  return o;
}
