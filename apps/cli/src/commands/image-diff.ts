import { diffImages, type ImageDiff } from '@vrs/block-engine';
import { EXIT } from '../exit-codes.js';
import { formatBytes, formatRanges } from '../format/bytes.js';
import { hashProgressBar } from '../format/hash-progress-bar.js';

/** `vrs image diff A B [--json]`: prints the cells of B that differ from A. Exit 0 when equal, 1 when they differ. */
export async function runImageDiff(a: string, b: string, options: { json?: boolean }): Promise<number> {
  const bar = hashProgressBar('hashing');
  const diff = await diffImages(a, b).finally(bar.stop);
  process.stdout.write(options.json ? `${JSON.stringify(toJson(diff), null, 2)}\n` : formatDiff(diff));
  return diff.differing.length === 0 && diff.a.fileSize === diff.b.fileSize ? EXIT.ok : EXIT.differ;
}

function toJson(d: ImageDiff) {
  return {
    a: d.a.path,
    b: d.b.path,
    differingCells: d.differing,
    elsewhereInA: d.elsewhereInA,
    send: d.plan.send,
    references: d.plan.references,
    zero: d.plan.zero,
    sendBytes: d.plan.sendBytes,
    sizeA: d.a.fileSize,
    sizeB: d.b.fileSize,
    ...(d.virtualBlocks ? { virtualBlocks: d.virtualBlocks } : {}),
  };
}

/** Takes a diff; returns the human form. */
export function formatDiff(d: ImageDiff): string {
  const lines = [
    `${d.differing.length} of ${d.b.cells} cells differ: ${formatRanges(d.differing)}`,
    `${d.elsewhereInA} of them exist elsewhere in ${d.a.path}; ${d.plan.zero.length} became all zero`,
    `to send: ${d.plan.send.length} cells, ${formatBytes(d.plan.sendBytes)}`,
  ];
  if (d.a.fileSize !== d.b.fileSize) lines.push(`file size: ${d.a.fileSize} → ${d.b.fileSize}`);
  if (d.virtualBlocks) lines.push(`virtual blocks changed: ${formatRanges(d.virtualBlocks)}`);
  return `${lines.join('\n')}\n`;
}
