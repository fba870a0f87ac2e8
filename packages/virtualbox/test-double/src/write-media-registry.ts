import type { MediumNode } from './machine-config.js';
import { xmlAttributes } from './xml-escape.js';

/**
 * Takes media, the indentation and a path mapper; returns the `<HardDisks>` element with differencing
 * images nested inside their parents, as VirtualBox writes it.
 */
export function writeHardDisks(media: MediumNode[], indent: string, mapPath: (path: string) => string): string {
  if (media.length === 0) return `${indent}<HardDisks/>\n`;
  const node = (m: MediumNode, pad: string): string => {
    const attrs = xmlAttributes([
      ['uuid', `{${m.uuid}}`],
      ['location', mapPath(m.location)],
      ['format', m.format],
      ['type', m.type],
    ]);
    if (m.children.length === 0) return `${pad}<HardDisk${attrs}/>\n`;
    return `${pad}<HardDisk${attrs}>\n${m.children.map((c) => node(c, `${pad}  `)).join('')}${pad}</HardDisk>\n`;
  };
  return `${indent}<HardDisks>\n${media.map((m) => node(m, `${indent}  `)).join('')}${indent}</HardDisks>\n`;
}

/** Takes extra data pairs and the indentation; returns the `<ExtraData>` element (empty string when none). */
export function writeExtraData(items: [string, string][], indent: string): string {
  if (items.length === 0) return '';
  const lines = items.map(
    ([name, value]) =>
      `${indent}  <ExtraDataItem${xmlAttributes([
        ['name', name],
        ['value', value],
      ])}/>\n`,
  );
  return `${indent}<ExtraData>\n${lines.join('')}${indent}</ExtraData>\n`;
}
