import { open } from 'node:fs/promises';
import { parseVdiHeader, uuidToGuidBytes, VDI_HEADER_READ_LENGTH } from '@vrs/block-engine';
import { RestoreError } from './restore-error.js';

/** Offset of `uuidLinkage`, the parent's image UUID, in a VDI header (reference §3.1). */
const UUID_LINKAGE_OFFSET = 0x1a8;

/**
 * Takes a differencing VDI and its parent's new image UUID; writes the UUID into the header's
 * `uuidLinkage` (0x1A8, GUID byte order) in place, fsyncs and reads the header back to check it. This is
 * what `VBoxManage internalcommands sethdparentuuid` does (VDSetParentUuid); the VirtualBox test double
 * has no such command, so the agent does it itself with block-engine's header code, the same on every
 * host. `uuidParentModify` is left: VirtualBox does not check it (reference §3.4). Throws RestoreError
 * INVALID_INPUT when the file is not a differencing VDI, and block-engine's ImageError for a damaged one.
 */
export async function setVdiParentUuid(path: string, parentUuid: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const read = async () => {
      const head = Buffer.alloc(VDI_HEADER_READ_LENGTH);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return parseVdiHeader(head.subarray(0, bytesRead), path, (await handle.stat()).size);
    };
    const header = await read();
    if (header.type !== 'diff')
      throw new RestoreError('INVALID_INPUT', path, `${path} is a ${header.type} VDI, not a differencing one`);
    await handle.write(uuidToGuidBytes(parentUuid), 0, 16, UUID_LINKAGE_OFFSET);
    await handle.sync();
    const written = await read();
    if (written.uuidLinkage !== parentUuid.toLowerCase())
      throw new RestoreError('INVALID_INPUT', path, `${path}: the parent UUID did not stick (${written.uuidLinkage})`);
  } finally {
    await handle.close();
  }
}
