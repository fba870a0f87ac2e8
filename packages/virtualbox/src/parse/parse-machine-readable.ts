/** Output dialects: 7.0 escapes `"` and `\` everywhere; 6.1 printed storage attachment paths raw. */
export type Dialect = '6.1' | '7.0';

/** Storage attachment keys (`"<Ctl>-<port>-<device>"`), which 6.1 printed without escaping. */
const ATTACHMENT_KEY = /^.+-\d+-\d+$/;

function unescapeValue(text: string): string {
  return text.replace(/\\(["\\])/g, '$1');
}

/** Reads a double-quoted token starting at `at`; returns its raw inner text and the index after the closing quote. */
function readQuoted(line: string, at: number, escaped: boolean): { text: string; end: number } | null {
  let i = at + 1;
  while (i < line.length) {
    if (escaped && line[i] === '\\') i += 2;
    else if (line[i] === '"') return { text: line.slice(at + 1, i), end: i + 1 };
    else i++;
  }
  return null;
}

/**
 * Takes `--machinereadable` output (showvminfo, snapshot list) and the VirtualBox dialect; returns its keys
 * and values in order. Handles every trap of reference §1.2: keys quoted when they contain `=` (and always
 * for storage), 7.0 escaping against 6.1 raw attachment paths, unquoted numbers, keys with spaces
 * (`BIOS NVRAM File=…`), values with a tail (`VideoMode="720,400,0"@0,0 1`), and lines that are not
 * key=value at all (`Encryption:     disabled`), which are skipped.
 */
export function parseMachineReadable(text: string, dialect: Dialect = '7.0'): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let key: string;
    let rest: string;
    if (line.startsWith('"')) {
      const quoted = readQuoted(line, 0, dialect === '7.0');
      if (!quoted || line[quoted.end] !== '=') continue;
      key = dialect === '7.0' ? unescapeValue(quoted.text) : quoted.text;
      rest = line.slice(quoted.end + 1);
    } else {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      key = line.slice(0, eq);
      rest = line.slice(eq + 1);
    }
    out.set(key, parseValue(rest, dialect === '7.0' || !ATTACHMENT_KEY.test(key) || !line.startsWith('"')));
  }
  return out;
}

function parseValue(rest: string, escaped: boolean): string {
  if (!rest.startsWith('"')) return rest;
  if (!escaped) {
    // 6.1 attachment paths are raw: the value is everything up to the last quote on the line.
    const last = rest.lastIndexOf('"');
    return last > 0 ? rest.slice(1, last) : rest.slice(1);
  }
  const quoted = readQuoted(rest, 0, true);
  return quoted ? unescapeValue(quoted.text) : rest;
}
