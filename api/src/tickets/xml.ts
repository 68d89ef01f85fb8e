/**
 * The little XML GeoReport v2 asks for: a root element holding a list of flat records, nested objects as
 * child elements. Open311 clients that predate JSON still ask for `.xml`.
 */
function escape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  // A list is a plural element holding singular ones: <attributes><attribute>…</attribute></attributes>.
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((item) => element(name.replace(/s$/, ''), item)).join('')}</${name}>`;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

export function toXml(root: string, item: string, records: readonly object[]): string {
  const body = records.map((record) => element(item, record)).join('');
  return `${DECLARATION}<${root}>${body}</${root}>`;
}

/** A document whose root element holds one record's fields (a service definition). */
export function toXmlDocument(root: string, record: object): string {
  return DECLARATION + element(root, record);
}
