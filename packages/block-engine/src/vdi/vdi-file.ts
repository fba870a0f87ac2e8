import { randomUUID } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { isAllZero } from '../hash/is-all-zero.js';
import { ImageError } from '../image-error.js';
import { encodeVdiHeader } from './encode-vdi-header.js';
import { readBlockMap } from './read-block-map.js';
import {
  hasVdiSignature,
  parseVdiHeader,
  VDI_BLOCK_FREE,
  VDI_BLOCK_ZERO,
  VDI_HEADER_READ_LENGTH,
  type VdiHeader,
} from './vdi-header.js';

/** What a virtual block holds in one image layer. */
export type BlockContent = { kind: 'data'; data: Buffer } | { kind: 'free' } | { kind: 'zero' };

/**
 * One VDI layer opened for block reads and writes with VirtualBox's semantics (reference/virtualbox.md §3.3):
 * a first write to a block appends it at the end of the data area, an all-zero full-block write to an
 * unallocated block marks it ZERO, and the first write after opening gives the image a new modify UUID.
 */
export class VdiFile {
  private modified = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly header: VdiHeader,
    readonly blockMap: Uint32Array,
  ) {}

  /** Takes a path; opens the VDI read-only or for writing. Throws ImageError. */
  static async open(path: string, mode: 'read' | 'write' = 'read'): Promise<VdiFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, mode === 'write' ? 'r+' : 'r');
    } catch (cause) {
      throw new ImageError('IMAGE_UNREADABLE', path, `cannot open: ${(cause as Error).message}`, cause);
    }
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(VDI_HEADER_READ_LENGTH);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (!hasVdiSignature(head.subarray(0, bytesRead))) throw new ImageError('IMAGE_CORRUPT', path, 'not a VDI image');
      const header = parseVdiHeader(head.subarray(0, bytesRead), path, size);
      return new VdiFile(path, handle, header, await readBlockMap(handle, header, path));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Takes a virtual block index; returns its content in this layer. */
  async readBlock(index: number): Promise<BlockContent> {
    const entry = this.entry(index);
    if (entry === VDI_BLOCK_FREE) return { kind: 'free' };
    if (entry === VDI_BLOCK_ZERO) return { kind: 'zero' };
    const data = Buffer.alloc(this.header.blockSize);
    const { bytesRead } = await this.handle.read(data, 0, data.length, this.dataOffset(entry));
    if (bytesRead !== data.length) throw new ImageError('IMAGE_TRUNCATED', this.path, `block ${index} is cut short`);
    return { kind: 'data', data };
  }

  /** Writes one whole virtual block (`blockSize` bytes), allocating it at the end of the file if needed. */
  async writeBlock(index: number, data: Uint8Array): Promise<void> {
    if (data.length !== this.header.blockSize)
      throw new TypeError(`a block write takes ${this.header.blockSize} bytes`);
    await this.touch();
    const entry = this.entry(index);
    if (entry !== VDI_BLOCK_FREE && entry !== VDI_BLOCK_ZERO) {
      await this.handle.write(data, 0, data.length, this.dataOffset(entry));
      return;
    }
    if (isAllZero(data)) {
      if (entry !== VDI_BLOCK_ZERO) await this.setEntry(index, VDI_BLOCK_ZERO);
      return;
    }
    const physical = this.header.blocksAllocated;
    await this.handle.write(data, 0, data.length, this.dataOffset(physical));
    this.header.blocksAllocated = physical + 1;
    await this.setEntry(index, physical);
  }

  /**
   * Writes bytes at a virtual offset, reading the rest of each touched block first. Unallocated blocks
   * read as zeros, so this is for base images; a differencing image needs whole-block writes.
   */
  async write(offset: number, data: Uint8Array): Promise<void> {
    const size = this.header.blockSize;
    let done = 0;
    while (done < data.length) {
      const index = Math.floor((offset + done) / size);
      const within = (offset + done) % size;
      const take = Math.min(size - within, data.length - done);
      const current = await this.readBlock(index);
      if (current.kind === 'free' && this.header.type === 'diff' && take < size) {
        throw new TypeError('a partial write to an unallocated block of a differencing image needs the parent data');
      }
      const block = current.kind === 'data' ? current.data : Buffer.alloc(size);
      block.set(data.subarray(done, done + take), within);
      await this.writeBlock(index, block);
      done += take;
    }
  }

  /** Flushes the file to stable storage. */
  async sync(): Promise<void> {
    await this.handle.sync();
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }

  private entry(index: number): number {
    const entry = this.blockMap[index];
    if (entry === undefined) throw new RangeError(`block ${index} is outside the disk's ${this.header.blocks} blocks`);
    return entry;
  }

  private dataOffset(physical: number): number {
    return this.header.offData + physical * (this.header.blockSize + this.header.blockExtra) + this.header.blockExtra;
  }

  private async setEntry(index: number, value: number): Promise<void> {
    this.blockMap[index] = value;
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value >>> 0);
    await this.handle.write(bytes, 0, 4, this.header.offBlocks + index * 4);
    await this.writeHeader();
  }

  private async touch(): Promise<void> {
    if (this.modified) return;
    this.modified = true;
    this.header.uuidModify = randomUUID();
    await this.writeHeader();
  }

  private async writeHeader(): Promise<void> {
    await this.handle.write(encodeVdiHeader(this.header), 0, undefined, 0);
  }
}
