import type { HashPool } from '../hash/hash-pool.js';
import { type DeltaPlan, planDelta } from '../plan/plan-delta.js';
import { VDI_BLOCK_FREE, VDI_BLOCK_ZERO } from '../vdi/vdi-header.js';
import { type ImageReport, inspectImage } from './inspect-image.js';

/** What `vrs image diff A B` reports: how B differs from A, cell by cell. */
export interface ImageDiff {
  a: ImageReport;
  b: ImageReport;
  /** Cells of B whose content differs from A at the same position. */
  differing: number[];
  /** Of those, the cells whose content A holds at another position. */
  elsewhereInA: number;
  plan: DeltaPlan;
  /** VDI pairs only: virtual blocks of B whose data or block-map entry differs from A. */
  virtualBlocks?: number[];
}

/** Takes two image paths; returns how the second differs from the first. Throws ImageError. */
export async function diffImages(pathA: string, pathB: string, options: { pool?: HashPool } = {}): Promise<ImageDiff> {
  const a = await inspectImage(pathA, options);
  const b = await inspectImage(pathB, options);
  const plan = planDelta(b.manifest, a.manifest);
  const differing = [...plan.send, ...plan.references.map((r) => r.position), ...plan.zero].sort((x, y) => x - y);
  const diff: ImageDiff = { a: a.report, b: b.report, differing, elsewhereInA: plan.references.length, plan };
  if (a.blockMap && b.blockMap && b.report.grid.kind === 'vdi') {
    diff.virtualBlocks = changedVirtualBlocks(a.blockMap, b.blockMap, new Set(differing));
  }
  return diff;
}

/** A physical block p of a VDI is grid cell p + 1 (cell 0 is the header region). */
function changedVirtualBlocks(mapA: Uint32Array, mapB: Uint32Array, differingCells: Set<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < mapB.length; i++) {
    const entry = mapB[i] as number;
    const allocated = entry !== VDI_BLOCK_FREE && entry !== VDI_BLOCK_ZERO;
    if (mapA[i] !== entry || (allocated && differingCells.has(entry + 1))) out.push(i);
  }
  return out;
}
