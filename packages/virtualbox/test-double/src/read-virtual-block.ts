import { isAllZero, VdiChain } from '@vrs/block-engine';

/**
 * Takes image paths LEAF FIRST (leaf, …, base) and a virtual block index; returns the block as the VM sees
 * it (§3.4: first allocated layer wins, ZERO masks parents, FREE everywhere reads zeros).
 */
export async function readVirtualBlock(leafFirstPaths: readonly string[], block: number): Promise<Buffer> {
  const chain = await VdiChain.open(leafFirstPaths);
  try {
    return await chain.readVirtualBlock(block);
  } finally {
    await chain.close();
  }
}

/**
 * Takes image paths leaf first; returns a block reader for checkConsistentCut over that one chain that
 * keeps the chain open, and a close function. Blocks that read as all zeros are reported as null.
 */
export async function openChainReader(
  leafFirstPaths: readonly string[],
): Promise<{ read(block: number): Promise<Buffer | null>; close(): Promise<void> }> {
  const chain = await VdiChain.open(leafFirstPaths);
  return {
    async read(block) {
      const data = await chain.readVirtualBlock(block);
      return isAllZero(data) ? null : data;
    },
    close: () => chain.close(),
  };
}
