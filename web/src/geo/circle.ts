/**
 * A circle on the ground as a closed polygon ring of [lon, lat], for drawing circular geofences: MapLibre
 * draws polygons, and a 64-sided ring is indistinguishable from a circle at any zoom a fence fills.
 */
const EARTH_RADIUS_M = 6_371_008.8;

export function circleRing(lat: number, lon: number, radiusMeters: number, sides = 64): Array<[number, number]> {
  const angular = radiusMeters / EARTH_RADIUS_M;
  const lat1 = (lat * Math.PI) / 180;
  const lon1 = (lon * Math.PI) / 180;
  const ring: Array<[number, number]> = [];
  for (let i = 0; i < sides; i++) {
    const bearing = (2 * Math.PI * i) / sides;
    const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing));
    const lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1), Math.cos(angular) - Math.sin(lat1) * Math.sin(lat2));
    ring.push([(lon2 * 180) / Math.PI, (lat2 * 180) / Math.PI]);
  }
  ring.push(ring[0]!);
  return ring;
}
