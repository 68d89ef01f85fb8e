import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, isOutsideChina, wgs84ToGcj02 } from '../src/geo/gcj02.ts';

/** Metres between two points on a spherical earth: plenty for shifts of hundreds of metres. */
function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe('GCJ-02 conversion', () => {
  it('matches the published reference point in Beijing', () => {
    // The example pair quoted by the common open-source converters (wandergis/coordtransform).
    const [lon, lat] = wgs84ToGcj02(116.404, 39.915);
    expect(lon).toBeCloseTo(116.41024449916938, 9);
    expect(lat).toBeCloseTo(39.91640428150164, 9);
  });

  it('shifts a point in Shenzhen by a few hundred metres, as the street offset on AMap tiles', () => {
    const [lon, lat] = wgs84ToGcj02(114.0579, 22.5431);
    const shift = haversineMeters(22.5431, 114.0579, lat, lon);
    expect(shift).toBeGreaterThan(200);
    expect(shift).toBeLessThan(700);
  });

  it('leaves points outside China untouched', () => {
    expect(isOutsideChina(2.35, 48.85)).toBe(true);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(-73.98, 40.75)).toEqual([-73.98, 40.75]);
  });

  it('inverts to within a millimetre across the country', () => {
    for (const [lon, lat] of [
      [116.404, 39.915],
      [121.4737, 31.2304],
      [104.0665, 30.5723],
      [126.535, 45.8038],
      [108.9398, 34.3416],
    ] as const) {
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const [wLon, wLat] = gcj02ToWgs84(gLon, gLat);
      expect(haversineMeters(lat, lon, wLat, wLon)).toBeLessThan(0.001);
    }
  });
});
