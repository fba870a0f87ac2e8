import { createRequire } from 'node:module';

// fast-xml-parser's ESM build is ~40 modules; its CommonJS bundle is one file, which keeps every
// VBoxManage invocation of the double about 30 ms faster.
const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');

/** A parsed XML element: attributes and child elements by name (children listed in ARRAY_TAGS are arrays). */
export type XmlNode = { [key: string]: unknown };

const ARRAY_TAGS = new Set([
  'HardDisk',
  'ExtraDataItem',
  'MachineEntry',
  'Snapshot',
  'StorageController',
  'AttachedDevice',
  'Adapter',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  // Decodes numeric character references too (&#10; in attribute values written by VirtualBox and us).
  htmlEntities: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

/** Takes XML text; returns the parsed document. Throws when it is not well-formed. */
export function parseXml(text: string): XmlNode {
  return parser.parse(text, true) as XmlNode;
}

/** Takes a node and a child name; returns the child element, or undefined. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  if (Array.isArray(value)) return value[0] as XmlNode | undefined;
  if (value === '') return {};
  return typeof value === 'object' && value !== null ? (value as XmlNode) : undefined;
}

/** Takes a node and a child name; returns every child element of that name. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'object' && v !== null ? v : {},
  ) as XmlNode[];
}

/** Takes a node and an attribute name; returns its text, or undefined. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Takes a node; returns its text content (elements holding only text). */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && node !== null && typeof (node as XmlNode)['#text'] === 'string')
    return (node as XmlNode)['#text'] as string;
  return undefined;
}

/** Takes `{uuid}` or `uuid`; returns the bare lower-case UUID. */
export function bareUuid(value: string): string {
  return value.replace(/^\{|\}$/g, '').toLowerCase();
}
