/** Takes text; returns it with `"` and `\` escaped as `showvminfo --machinereadable` does (7.0 rule). */
export function escapeMachineReadable(text: string): string {
  return text.replace(/["\\]/g, (c) => `\\${c}`);
}

/**
 * Takes a key, a value and options; returns one `key="value"` line as `outputMachineReadableString`
 * writes it: the key quoted when forced or when it holds `=`, key and value escaped unless `raw`.
 */
export function mrLine(key: string, value: string, options: { quoteKey?: boolean; raw?: boolean } = {}): string {
  const quote = options.quoteKey === true || key.includes('=');
  const k = options.raw ? key : escapeMachineReadable(key);
  const v = options.raw ? value : escapeMachineReadable(value);
  return quote ? `"${k}"="${v}"\n` : `${k}="${v}"\n`;
}
