/**
 * WGS-84 ↔ GCJ-02, the shifted grid that AMap and Tencent tiles are drawn on. Stored data stays WGS-84; the
 * console converts only what it draws (and converts a picked point back), so vehicles sit on the right street.
 * The shift is the published obfuscation polynomial on the Krasovsky 1940 ellipsoid; it applies only inside
 * mainland China, where those tile sources use it.
 */
const SEMI_MAJOR = 6378245.0;
const ECCENTRICITY_SQ = 0.00669342162296594323;

export function isOutsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** [lon, lat] WGS-84 → [lon, lat] GCJ-02. */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  const dLatRaw = shiftLat(lon - 105, lat - 35);
  const dLonRaw = shiftLon(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - ECCENTRICITY_SQ * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLatRaw * 180) / (((SEMI_MAJOR * (1 - ECCENTRICITY_SQ)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (dLonRaw * 180) / ((SEMI_MAJOR / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/**
 * [lon, lat] GCJ-02 → [lon, lat] WGS-84, for a point picked on a GCJ-02 basemap. The forward shift has no
 * closed inverse; a few fixed-point steps bring the error under a millimetre.
 */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  for (let i = 0; i < 8; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    const errLon = gLon - lon;
    const errLat = gLat - lat;
    wLon -= errLon;
    wLat -= errLat;
    if (Math.abs(errLon) < 1e-9 && Math.abs(errLat) < 1e-9) break;
  }
  return [wLon, wLat];
}
