import { type ImageReport, inspectImage } from '@vrs/block-engine';
import { EXIT } from '../exit-codes.js';
import { formatBytes } from '../format/bytes.js';
import { hashProgressBar } from '../format/hash-progress-bar.js';

/** `vrs image inspect FILE [--json]`: prints what the file is and how vrs cuts it. Returns the exit code. */
export async function runImageInspect(file: string, options: { json?: boolean }): Promise<number> {
  const bar = hashProgressBar('hashing');
  const { report } = await inspectImage(file, { onProgress: bar.onProgress }).finally(bar.stop);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return EXIT.ok;
}

/** Takes a report; returns the human form. */
export function formatReport(r: ImageReport): string {
  const lines = [
    `image:         ${r.path}`,
    `format:        ${r.format}${r.vdi ? ` (${r.vdi.type})` : ''}`,
    `virtual size:  ${formatBytes(r.virtualSize)}`,
    `file size:     ${formatBytes(r.fileSize)}`,
    `grid:          ${r.grid.headerLength > 0 ? `header cell of ${formatBytes(r.grid.headerLength)}, then ` : ''}${formatBytes(r.grid.blockSize)} cells`,
    `cells:         ${r.cells} (${r.zeroCells} all zero)`,
  ];
  if (r.vdi) {
    lines.push(
      `uuid:          ${r.vdi.uuid}`,
      `modify uuid:   ${r.vdi.modifyUuid}`,
      ...(r.vdi.parentUuid ? [`parent uuid:   ${r.vdi.parentUuid}`] : []),
      `blocks:        ${r.vdi.blocks} of ${formatBytes(r.vdi.blockSize)}: ${r.vdi.map.allocated} allocated, ${r.vdi.map.zero} zero, ${r.vdi.map.free} free`,
    );
  }
  return `${lines.join('\n')}\n`;
}
