/**
 * Coordinates as drawn: WGS-84, or shifted to GCJ-02 when the basemap's tiles are. Every layer goes through
 * one of these, and picked points come back through `toWgs84`, so the shift never reaches stored data.
 */
import type { Geometry, Position } from 'geojson';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../geo/gcj02.ts';

export interface Display {
  readonly gcj02: boolean;
  toMap(lon: number, lat: number): [number, number];
  toWgs84(lon: number, lat: number): [number, number];
}

export const WGS84_DISPLAY: Display = {
  gcj02: false,
  toMap: (lon, lat) => [lon, lat],
  toWgs84: (lon, lat) => [lon, lat],
};

export const GCJ02_DISPLAY: Display = {
  gcj02: true,
  toMap: wgs84ToGcj02,
  toWgs84: gcj02ToWgs84,
};

function mapPosition(display: Display, position: Position): Position {
  return display.toMap(position[0]!, position[1]!);
}

/** A geometry with every coordinate shifted for display (a copy; the input is left as stored). */
export function geometryToMap(display: Display, geometry: Geometry): Geometry {
  if (!display.gcj02) return geometry;
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: mapPosition(display, geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: geometry.type, coordinates: geometry.coordinates.map((p) => mapPosition(display, p)) };
    case 'MultiLineString':
    case 'Polygon':
      return { type: geometry.type, coordinates: geometry.coordinates.map((ring) => ring.map((p) => mapPosition(display, p))) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => mapPosition(display, p)))),
      };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => geometryToMap(display, g)) };
  }
}
