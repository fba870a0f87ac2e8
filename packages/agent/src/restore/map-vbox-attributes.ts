/** Takes an element name, an attribute name and its (decoded) value; returns a new value, null to remove it, or undefined to keep it. */
export type AttributeMapper = (element: string, attribute: string, value: string) => string | null | undefined;

/** Comments, CDATA, processing instructions and declarations are skipped; start tags are captured. */
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][\s\S]*?>|<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)(\s*\/?)>/g;
const ATTRIBUTE = /(\s+)([^\s=/>]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;

/**
 * Takes XML text (a `.vbox`) and a mapper; returns the text with the attributes of every start tag passed
 * through the mapper. Everything the mapper keeps stays byte for byte as it was (formatting, order,
 * comments, other elements); a changed value is written double-quoted and escaped.
 */
export function mapVboxAttributes(xml: string, mapper: AttributeMapper): string {
  return xml.replace(TOKEN, (token, element: string | undefined, attributes: string, end: string) => {
    if (element === undefined) return token;
    const mapped = attributes.replace(
      ATTRIBUTE,
      (whole, space: string, name: string, _eq: string, double?: string, single?: string) => {
        const next = mapper(element, name, decodeXml(double ?? single ?? ''));
        if (next === undefined) return whole;
        if (next === null) return '';
        return `${space}${name}="${encodeXml(next)}"`;
      },
    );
    return `<${element}${mapped}${end}>`;
  });
}

/** Takes an attribute value as written; returns its text (the five entities and character references). */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|quot|apos|amp|lt|gt);/g, (_, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return ({ quot: '"', apos: "'", amp: '&', lt: '<', gt: '>' } as Record<string, string>)[ref] ?? '';
  });
}

/** Takes text; returns it escaped for a double-quoted attribute. */
export function encodeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}
