import { parseGuestBlock } from './guest-block.js';
import type { WriterLogEntry } from './writer-log.js';

/** The verdict on a captured set of disks. */
export interface CutVerdict {
  consistent: boolean;
  /** The smallest sequence number S the capture is a cut at (0 = before any logged write); null if none. */
  cut: number | null;
  reason?: string;
}

/** A disk to check: its UUID as the writer log names it (the base medium's) and the blocks to look at. */
export interface CutDisk {
  uuid: string;
  blocks: number[];
}

/**
 * Takes a block reader (content of a virtual block of a captured disk, or null for an unallocated / zero
 * block), the guest writer's log and the disks and blocks to check; returns whether the capture is a
 * consistent cut: there is a sequence number S such that every checked block holds exactly the last logged
 * write to it with seq ≤ S (header and checksum verified), or its original content when there is none.
 * A block that is no guest block counts as original content.
 */
export async function checkConsistentCut(
  readBlock: (disk: string, block: number) => Promise<Buffer | null>,
  log: WriterLogEntry[],
  disks: CutDisk[],
): Promise<CutVerdict> {
  const writes = new Map<string, number[]>();
  for (const e of log) {
    const key = `${e.disk}/${e.block}`;
    writes.set(key, [...(writes.get(key) ?? []), e.seq]);
  }
  const lastSeq = log.reduce((max, e) => Math.max(max, e.seq), 0);
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  for (const disk of disks) {
    for (const block of disk.blocks) {
      const seqs = (writes.get(`${disk.uuid}/${block}`) ?? []).sort((a, b) => a - b);
      const data = await readBlock(disk.uuid, block);
      const parsed = data === null ? undefined : parseGuestBlock(data);
      if (parsed === undefined) {
        if (seqs[0] !== undefined) high = Math.min(high, seqs[0] - 1);
      } else {
        const where = `disk ${disk.uuid} block ${block}`;
        if (!parsed.checksumOk) return fail(`${where}: torn or corrupt write (seq ${parsed.seq}, checksum mismatch)`);
        if (parsed.block !== block) return fail(`${where}: holds the write meant for block ${parsed.block}`);
        const at = seqs.indexOf(parsed.seq);
        if (at < 0) return fail(`${where}: holds seq ${parsed.seq}, which the log never wrote there`);
        low = Math.max(low, parsed.seq);
        const next = seqs[at + 1];
        if (next !== undefined) high = Math.min(high, next - 1);
      }
      if (low > high) return fail(`no single cut: ${disk.uuid} block ${block} needs seq in [${low}, ${high}]`);
    }
  }
  if (low > lastSeq && lastSeq > 0) return fail(`the disks hold writes beyond the log's last seq ${lastSeq}`);
  return { consistent: true, cut: low };
}

function fail(reason: string): CutVerdict {
  return { consistent: false, cut: null, reason };
}
