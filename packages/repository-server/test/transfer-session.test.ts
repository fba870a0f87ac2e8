import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashPool, hashImage, planDelta } from '@vrs/block-engine';
import { cellHash, cellRange, encodeFrame, encodeManifest, FrameError } from '@vrs/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { MirrorError, MirrorStore, TransferSession } from '../src/index.js';
import { infoFor, writeVdi } from './helpers/borg-fixture.js';
import { DISK, expectedState, mirrorState, VM } from './helpers/mirror-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vrs-transfer-'));
const pool = new HashPool({ workers: 2 });
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});
const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** What an agent sends for an image against the mirror: reference frames, then data frames. */
async function framesFor(store: MirrorStore, image: string) {
  const { manifest } = await hashImage(image, { pool });
  const plan = planDelta(manifest, await store.readManifest(VM, DISK));
  const bytes = readFileSync(image);
  const frames = [
    ...plan.references.map((r) =>
      encodeFrame({
        type: 'reference',
        disk: DISK,
        position: r.position,
        source: r.source,
        length: cellRange(manifest.grid, r.position).length,
        hash: cellHash(manifest, r.position),
      }),
    ),
    ...plan.send.map((p) => {
      const { offset, length } = cellRange(manifest.grid, p);
      return encodeFrame({
        type: 'data',
        disk: DISK,
        position: p,
        hash: cellHash(manifest, p),
        payload: bytes.subarray(offset, offset + length),
      });
    }),
  ];
  return { manifest, frames, plan };
}

describe('a snapshot transfer', () => {
  const store = new MirrorStore(join(dir, 'mirrors'));
  const image = join(dir, 'disk.vdi');

  it('stages every frame, seals, and the mirror then equals the captured image', async () => {
    await writeVdi(image, 32, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i, i + 1])));
    const { manifest, frames } = await framesFor(store, image);
    const session = new TransferSession(store, VM, job(1), new Set([DISK]));
    for (const frame of frames) await session.handleFrame(frame);
    await session.seal([{ disk: DISK, manifest: encodeManifest(manifest) }], infoFor(VM, DISK, manifest, 'first'));
    expect(await mirrorState(store)).toEqual(expectedState(manifest));
  });

  it('resumes after a lost link: a new session for the same job reports what is staged', async () => {
    await writeVdi(image, 32, { 20: 200, 21: 201, 22: 202 }, false);
    const { manifest, frames } = await framesFor(store, image);
    const first = new TransferSession(store, VM, job(2), new Set([DISK]));
    for (const frame of frames.slice(0, 2)) await first.handleFrame(frame);
    const again = new TransferSession(store, VM, job(2), new Set([DISK]));
    const staged = (await again.resumeState())[DISK] ?? [];
    expect(staged).toHaveLength(2);
    const rest = frames.filter((f) => !staged.includes(new DataView(f.buffer, f.byteOffset).getUint32(24, true)));
    for (const frame of rest) await again.handleFrame(frame);
    await again.seal([{ disk: DISK, manifest: encodeManifest(manifest) }], infoFor(VM, DISK, manifest, 'second'));
    expect(await mirrorState(store)).toEqual(expectedState(manifest));
  });

  it('refuses malformed, truncated and foreign frames and a seal with cells missing, changing nothing', async () => {
    const before = await mirrorState(store);
    await writeVdi(image, 32, { 25: 250 }, false);
    const { manifest, frames } = await framesFor(store, image);
    const session = new TransferSession(store, VM, job(3), new Set([DISK]), { maxLength: 4 * 1024 * 1024 });
    const data = frames.at(-1) as Uint8Array;
    await expect(session.handleFrame(data.subarray(0, 100))).rejects.toBeInstanceOf(FrameError);
    await expect(session.handleFrame(new Uint8Array(10))).rejects.toMatchObject({ code: 'FRAME_TRUNCATED' });
    const corrupt = data.slice();
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 1;
    await expect(session.handleFrame(corrupt)).rejects.toMatchObject({
      code: expect.stringMatching(/BLOCK_HASH_MISMATCH|FRAME_MALFORMED/),
    });
    const foreign = new TransferSession(store, VM, job(4), new Set(['bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb']));
    await expect(foreign.handleFrame(data)).rejects.toThrow(/not part of job/);
    await expect(
      session.seal([{ disk: DISK, manifest: encodeManifest(manifest) }], infoFor(VM, DISK, manifest, 'x')),
    ).rejects.toMatchObject({ code: 'MIRROR_INCOMPLETE' });
    await expect(
      session.seal([{ disk: DISK, manifest: encodeManifest(manifest) }], { format: 1 }),
    ).rejects.toBeInstanceOf(MirrorError);
    expect(await mirrorState(store)).toEqual(before);
  });
});
