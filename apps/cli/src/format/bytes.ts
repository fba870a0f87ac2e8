const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Takes a byte count; returns it in binary units with the exact figure, e.g. `10 MiB (10485760 bytes)`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? `${bytes} B` : `${Number(value.toFixed(2))} ${UNITS[unit]}`;
  return unit === 0 ? shown : `${shown} (${bytes} bytes)`;
}

/** Takes sorted integers; returns them as ranges, e.g. `0, 3-5, 9`. */
export function formatRanges(values: readonly number[], max = 40): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    parts.push(i === j ? `${values[i]}` : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  if (parts.length <= max) return parts.join(', ') || '(none)';
  return `${parts.slice(0, max).join(', ')}, … (${parts.length - max} more ranges)`;
}
