/** A property-list value. */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A minimal, strict XML property-list parser for the tests (fast-xml-parser is not a dependency of the
 * agent): checks the XML declaration, the plist DOCTYPE, balanced tags and entities, and returns the
 * value of the root `<plist version="1.0">`. Supports dict, key, string, array, integer, true and false.
 * Throws on anything else, so a malformed plist fails the test.
 */
export function parsePlist(xml: string): PlistValue {
  let text = xml;
  const skip = (re: RegExp) => {
    const m = re.exec(text);
    if (m?.index !== 0) return false;
    text = text.slice(m[0].length);
    return true;
  };
  const space = () => {
    while (skip(/^\s+/) || skip(/^<!--(?:(?!--)[\s\S])*-->/));
  };
  if (!skip(/^<\?xml version="1\.0" encoding="UTF-8"\?>/)) throw new Error('no XML declaration');
  space();
  if (
    !skip(
      /^<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN" "http:\/\/www\.apple\.com\/DTDs\/PropertyList-1\.0\.dtd">/,
    )
  )
    throw new Error('no plist DOCTYPE');
  space();
  if (!skip(/^<plist version="1\.0">/)) throw new Error('no <plist version="1.0">');
  const decode = (s: string) => {
    if (/[<>]/.test(s) || /&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad text ${JSON.stringify(s)}`);
    return s.replace(/&(\w+);/g, (_, e: string) => ENTITIES[e] as string);
  };
  const value = (): PlistValue => {
    space();
    if (skip(/^<true\/>/)) return true;
    if (skip(/^<false\/>/)) return false;
    const m = /^<(string|key|integer)>([^<]*)<\/\1>/.exec(text);
    if (m) {
      text = text.slice(m[0].length);
      if (m[1] === 'integer') {
        if (!/^-?\d+$/.test(m[2] as string)) throw new Error('bad integer');
        return Number(m[2]);
      }
      if (m[1] === 'key') throw new Error('a key where a value belongs');
      return decode(m[2] as string);
    }
    if (skip(/^<array>/)) {
      const out: PlistValue[] = [];
      for (space(); !skip(/^<\/array>/); space()) out.push(value());
      return out;
    }
    if (skip(/^<dict>/)) {
      const out: Record<string, PlistValue> = {};
      for (space(); !skip(/^<\/dict>/); space()) {
        const k = /^<key>([^<]*)<\/key>/.exec(text);
        if (!k) throw new Error(`expected a key at ${JSON.stringify(text.slice(0, 40))}`);
        text = text.slice(k[0].length);
        const key = decode(k[1] as string);
        if (key in out) throw new Error(`duplicate key ${key}`);
        out[key] = value();
      }
      return out;
    }
    throw new Error(`unexpected ${JSON.stringify(text.slice(0, 40))}`);
  };
  const root = value();
  space();
  if (!skip(/^<\/plist>/)) throw new Error('no </plist>');
  space();
  if (text !== '') throw new Error('text after </plist>');
  return root;
}
