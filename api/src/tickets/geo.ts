const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine); exact enough for radii of metres to kilometres. */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A lat/lon box that contains every point within `radiusM` of the centre: a cheap SQL pre-filter. */
export function boundingBox(lat: number, lon: number, radiusM: number) {
  const dLat = radiusM / (EARTH_RADIUS_M * RAD);
  const dLon = dLat / Math.max(Math.cos(lat * RAD), 1e-6);
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon };
}
