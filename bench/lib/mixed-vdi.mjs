// Makes VirtualBox-layout VDIs with mixed content (random, text-like, mostly-zero blocks) for the demo,
// the tests and the benchmarks. Deterministic for a given seed.
import { createVdi, VdiFile } from '@vrs/block-engine';

const MIB = 1024 * 1024;
const WORDS = 'the quick brown fox jumps over lazy dogs while vrs keeps every block of the disk safe'.split(' ');

/** Takes a seed; returns a xorshift32 generator of unsigned 32-bit integers. */
export function prng(seed) {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Takes a block number and a seed; returns 1 MiB of content whose kind depends on the block. */
export function mixedBlock(index, seed, size = MIB) {
  const next = prng(seed * 2654435761 + index);
  const kind = index % 5;
  const block = Buffer.alloc(size);
  if (kind < 2) {
    const words = new Uint32Array(block.buffer, block.byteOffset, size / 4);
    for (let i = 0; i < words.length; i++) words[i] = next();
  } else if (kind < 4) {
    let at = 0;
    while (at < size) at += block.write(`${WORDS[next() % WORDS.length]} ${next() % 1000} `, at);
  } else {
    for (let i = 0; i < 64; i++) block.writeUInt32LE(next(), (next() % (size / 4)) * 4);
  }
  return block;
}

/**
 * Takes a path and { diskSize, allocated, seed }; creates a dynamic VDI whose first `allocated` bytes of
 * virtual disk hold mixed blocks (every 7th left unallocated). Returns the virtual blocks written.
 */
export async function makeMixedVdi(path, { diskSize, allocated, seed = 1 }) {
  await createVdi(path, { diskSize });
  const vdi = await VdiFile.open(path, 'write');
  const written = [];
  try {
    const blocks = Math.min(vdi.header.blocks, Math.ceil(allocated / MIB));
    for (let i = 0; i < blocks; i++) {
      if (i % 7 === 6) continue;
      await vdi.writeBlock(i, mixedBlock(i, seed));
      written.push(i);
    }
    await vdi.sync();
  } finally {
    await vdi.close();
  }
  return written;
}

/** Takes a VDI path, a fraction and a seed; rewrites that fraction of its allocated blocks with new content. */
export async function changeBlocks(path, fraction, seed) {
  const vdi = await VdiFile.open(path, 'write');
  const changed = [];
  try {
    const next = prng(seed);
    const allocated = [];
    for (const [i, entry] of vdi.blockMap.entries()) if (entry < 0xfffffffe) allocated.push(i);
    const count = Math.max(1, Math.round(allocated.length * fraction));
    const picked = new Set();
    while (picked.size < count) picked.add(allocated[next() % allocated.length]);
    for (const i of [...picked].sort((a, b) => a - b)) {
      await vdi.writeBlock(i, mixedBlock(i, seed + 1000));
      changed.push(i);
    }
    await vdi.sync();
  } finally {
    await vdi.close();
  }
  return changed;
}
