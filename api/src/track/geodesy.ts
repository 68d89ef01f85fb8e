/** Mean Earth radius (IUGG), metres: the sphere every distance in UrbanLink is measured on. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine: stable for the short hops between consecutive fixes). */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s = Math.sin(dLat / 2);
  const t = Math.sin(dLon / 2);
  const h = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres per degree of latitude, and of longitude at `lat`, for local flat-earth maths over a few km. */
export function metresPerDegree(lat: number): { perLat: number; perLon: number } {
  const perLat = EARTH_RADIUS_M * RAD;
  return { perLat, perLon: perLat * Math.cos(lat * RAD) };
}
