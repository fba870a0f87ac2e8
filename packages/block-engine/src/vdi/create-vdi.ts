import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { encodeVdiHeader } from './encode-vdi-header.js';
import { NIL_UUID, VDI_BLOCK_FREE, VDI_VERSION_1_1, type VdiHeader } from './vdi-header.js';

const MIB = 1024 * 1024;
const align = (n: number, to: number) => Math.ceil(n / to) * to;

/** What a new VDI looks like. A `diff` image needs its parent's create and modify UUIDs. */
export interface CreateVdiOptions {
  diskSize: number;
  type?: 'normal' | 'fixed' | 'diff';
  blockSize?: number;
  uuid?: string;
  parent?: { uuid: string; modifyUuid: string };
  comment?: string;
}

/**
 * Takes a path and options; creates a VDI there in VirtualBox's own layout (`vdiInitHeader`): block map at
 * 1 MiB, data area aligned to the next MiB, every map entry FREE, the file exactly `offData` long (dynamic)
 * or preallocated with an identity map (fixed). Refuses to overwrite. Returns the header written.
 */
export async function createVdi(path: string, options: CreateVdiOptions): Promise<VdiHeader> {
  const type = options.type ?? 'normal';
  const blockSize = options.blockSize ?? MIB;
  if (type === 'diff' && options.parent === undefined) throw new TypeError('a differencing VDI needs its parent');
  const diskSize = Math.floor(options.diskSize / 512) * 512;
  if (diskSize <= 0) throw new TypeError('disk size must be at least 512 bytes');
  const blocks = Math.ceil(diskSize / blockSize);
  const offBlocks = MIB;
  const offData = align(offBlocks + 4 * blocks, MIB);
  const header: VdiHeader = {
    fileInfo: '<<< Oracle VM VirtualBox Disk Image >>>\n',
    version: VDI_VERSION_1_1,
    headerSize: 400,
    type,
    flags: 0,
    comment: options.comment ?? '',
    offBlocks,
    offData,
    geometry: {
      cylinders: Math.min(16383, Math.floor(diskSize / (16 * 63 * 512))),
      heads: 16,
      sectors: 63,
      sectorSize: 512,
    },
    diskSize,
    blockSize,
    blockExtra: 0,
    blocks,
    blocksAllocated: type === 'fixed' ? blocks : 0,
    uuidCreate: options.uuid ?? randomUUID(),
    uuidModify: randomUUID(),
    uuidLinkage: options.parent?.uuid ?? NIL_UUID,
    uuidParentModify: options.parent?.modifyUuid ?? NIL_UUID,
  };
  const map = Buffer.alloc(blocks * 4);
  for (let i = 0; i < blocks; i++) map.writeUInt32LE(type === 'fixed' ? i : VDI_BLOCK_FREE, i * 4);
  const handle = await open(path, 'wx');
  try {
    await handle.write(encodeVdiHeader(header), 0, undefined, 0);
    await handle.write(map, 0, map.length, offBlocks);
    await handle.truncate(type === 'fixed' ? offData + blocks * blockSize : offData);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return header;
}
