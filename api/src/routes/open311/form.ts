/**
 * `application/x-www-form-urlencoded` as GeoReport clients send it: repeated keys (`attribute[x]=a&
 * attribute[x]=b`) become arrays, everything else a string.
 */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}
