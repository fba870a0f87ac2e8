import { blockEngine } from './block-engine.js';

/**
 * Takes a differencing image and its parent; merges the child INTO the parent (a backward merge,
 * `Medium::i_prepareMergeTo` with the parent as target): every block the child holds (data or ZERO)
 * overwrites the parent's. Returns the parent's modify UUID after the merge. The child file is left alone.
 */
export async function mergeIntoParent(childPath: string, parentPath: string): Promise<string> {
  const { VdiFile } = await blockEngine();
  const child = await VdiFile.open(childPath, 'read');
  const parent = await VdiFile.open(parentPath, 'write');
  try {
    const zeros = Buffer.alloc(parent.header.blockSize);
    for (let i = 0; i < child.header.blocks; i++) {
      const content = await child.readBlock(i);
      if (content.kind === 'data') await parent.writeBlock(i, content.data);
      else if (content.kind === 'zero') await parent.writeBlock(i, zeros);
    }
    await parent.sync();
    return parent.header.uuidModify;
  } finally {
    await child.close();
    await parent.close();
  }
}

/**
 * Takes a differencing parent and its child; merges the parent INTO the child (a forward merge): blocks
 * the child does not hold are taken from the parent. Returns the parent's own linkage (image and modify
 * UUID of the grandparent), which the child inherits. The parent file is left alone.
 */
export async function mergeIntoChild(
  parentPath: string,
  childPath: string,
): Promise<{ uuid: string; modifyUuid: string }> {
  const { VdiFile, VDI_BLOCK_FREE } = await blockEngine();
  const parent = await VdiFile.open(parentPath, 'read');
  const child = await VdiFile.open(childPath, 'write');
  try {
    const zeros = Buffer.alloc(child.header.blockSize);
    for (let i = 0; i < child.header.blocks; i++) {
      if (child.blockMap[i] !== VDI_BLOCK_FREE) continue;
      const content = await parent.readBlock(i);
      if (content.kind === 'data') await child.writeBlock(i, content.data);
      else if (content.kind === 'zero') await child.writeBlock(i, zeros);
    }
    await child.sync();
    return { uuid: parent.header.uuidLinkage, modifyUuid: parent.header.uuidParentModify };
  } finally {
    await parent.close();
    await child.close();
  }
}
