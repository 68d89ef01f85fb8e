/**
 * The little XML GeoReport v2 asks for: a root element holding a list of flat records, nested objects as
 * child elements. Open311 clients that predate JSON still ask for `.xml`.
 */
function escape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

export function toXml(root: string, item: string, records: readonly object[]): string {
  const body = records.map((record) => element(item, record)).join('');
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${body}</${root}>`;
}
