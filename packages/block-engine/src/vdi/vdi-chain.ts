import { ImageError } from '../image-error.js';
import { VdiFile } from './vdi-file.js';
import { NIL_UUID } from './vdi-header.js';

/**
 * A VDI differencing chain opened read-only, held LEAF FIRST: `layers[0]` is the image a VM writes to,
 * the last layer is the base. Reads follow VirtualBox's rule (reference/virtualbox.md §3.4): walk from the
 * leaf to the base, the first layer whose entry is allocated wins, a ZERO entry reads as zeros without
 * consulting the parents, and a block FREE in every layer reads as zeros.
 */
export class VdiChain {
  private constructor(readonly layers: VdiFile[]) {}

  /**
   * Takes image paths LEAF FIRST (leaf, its parent, …, base); opens them read-only and returns the chain.
   * Throws ImageError IMAGE_CORRUPT when an image's linkage UUID does not name the next image, when the
   * last image is itself a differencing image, or when the images disagree on size or block size.
   */
  static async open(leafFirstPaths: readonly string[]): Promise<VdiChain> {
    if (leafFirstPaths.length === 0) throw new TypeError('a VDI chain needs at least one image');
    const layers: VdiFile[] = [];
    try {
      for (const path of leafFirstPaths) layers.push(await VdiFile.open(path, 'read'));
      checkLinks(layers);
    } catch (error) {
      await Promise.all(layers.map((layer) => layer.close()));
      throw error;
    }
    return new VdiChain(layers);
  }

  /** The number of virtual blocks of the disk. */
  get blocks(): number {
    return (this.layers[0] as VdiFile).header.blocks;
  }

  /** The size of one block in bytes. */
  get blockSize(): number {
    return (this.layers[0] as VdiFile).header.blockSize;
  }

  /** Takes a virtual block index; returns its content as the VM sees it (always `blockSize` bytes). */
  async readVirtualBlock(index: number): Promise<Buffer> {
    for (const layer of this.layers) {
      const content = await layer.readBlock(index);
      if (content.kind === 'data') return content.data;
      if (content.kind === 'zero') break;
    }
    return Buffer.alloc(this.blockSize);
  }

  /** Closes every image of the chain. */
  async close(): Promise<void> {
    await Promise.all(this.layers.map((layer) => layer.close()));
  }
}

function checkLinks(layers: VdiFile[]): void {
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as VdiFile;
    const parent = layers[i + 1];
    const { header } = layer;
    if (parent === undefined) {
      if (header.type === 'diff' || header.uuidLinkage !== NIL_UUID)
        throw new ImageError('IMAGE_CORRUPT', layer.path, `is a differencing image, but its parent is missing`);
      continue;
    }
    if (header.uuidLinkage !== parent.header.uuidCreate) {
      throw new ImageError(
        'IMAGE_CORRUPT',
        layer.path,
        `links to parent {${header.uuidLinkage}}, not to ${parent.path} {${parent.header.uuidCreate}}`,
      );
    }
    if (header.diskSize !== parent.header.diskSize || header.blockSize !== parent.header.blockSize) {
      throw new ImageError('IMAGE_CORRUPT', layer.path, `differs in disk or block size from its parent ${parent.path}`);
    }
  }
}
