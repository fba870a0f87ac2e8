import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { blockEngine } from './block-engine.js';
import { probeVdi } from './probe-vdi.js';

/**
 * Takes the snapshot folder and the parent image; creates `<folder>/{<new-uuid>}.vdi`, a differencing VDI
 * (type 4) with the parent's size and block size, `uuidLinkage` = the parent's image UUID and
 * `uuidParentModify` = its current modify UUID (reference §1.5, §3.4). Returns the new UUID and path.
 */
export async function createDiffImage(folder: string, parentPath: string): Promise<{ uuid: string; path: string }> {
  const probe = await probeVdi(parentPath);
  if (!probe.ok) throw new Error(`cannot open ${parentPath}: ${probe.detail}`);
  const { header } = probe;
  const uuid = randomUUID();
  const path = join(folder, `{${uuid}}.vdi`);
  await mkdir(folder, { recursive: true });
  const { createVdi } = await blockEngine();
  await createVdi(path, {
    diskSize: header.diskSize,
    blockSize: header.blockSize,
    type: 'diff',
    uuid,
    parent: { uuid: header.uuidCreate, modifyUuid: header.uuidModify },
  });
  return { uuid, path };
}
