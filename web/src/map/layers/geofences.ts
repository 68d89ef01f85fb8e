/**
 * The city's geofences: on the offline basemap they are the map, so they are drawn under everything else.
 * They change rarely, so `update` replaces the whole collection.
 */
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Geofence } from '../../api/types.ts';
import { circleRing } from '../../geo/circle.ts';
import type { Display } from '../display.ts';

function ringOf(fence: Geofence): Position[] {
  const shape = fence.shape;
  if (shape.type === 'circle') return circleRing(shape.center.lat, shape.center.lon, shape.radiusMeters);
  const ring: Position[] = shape.points.map((p) => [p.lon, p.lat]);
  if (ring.length > 0) ring.push(ring[0]!);
  return ring;
}

// A polygon's label would repeat in every tile it crosses; one point per fence carries the name instead.
function labelPoint(fence: Geofence): [number, number] {
  const shape = fence.shape;
  if (shape.type === 'circle') return [shape.center.lon, shape.center.lat];
  const n = Math.max(1, shape.points.length);
  return [shape.points.reduce((sum, p) => sum + p.lon, 0) / n, shape.points.reduce((sum, p) => sum + p.lat, 0) / n];
}

function collection(display: Display, fences: readonly Geofence[]): FeatureCollection {
  const features: Feature[] = fences.flatMap((fence): Feature[] => [
    {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [ringOf(fence).map(([lon, lat]) => display.toMap(lon!, lat!))] },
      properties: { name: fence.name },
    },
    { type: 'Feature', geometry: { type: 'Point', coordinates: display.toMap(...labelPoint(fence)) }, properties: { name: fence.name } },
  ]);
  return { type: 'FeatureCollection', features };
}

export class GeofencesLayer {
  private map: MapLibreMap | undefined;
  private display: Display | undefined;
  private fences: readonly Geofence[] = [];

  add(map: MapLibreMap, display: Display): void {
    this.map = map;
    this.display = display;
    map.addSource('geofences', { type: 'geojson', data: collection(display, this.fences) });
    const isArea: ['==', ['geometry-type'], string] = ['==', ['geometry-type'], 'Polygon'];
    map.addLayer({ id: 'geofence-fill', type: 'fill', source: 'geofences', filter: isArea, paint: { 'fill-color': '#fab005', 'fill-opacity': 0.12 } });
    map.addLayer({
      id: 'geofence-line',
      type: 'line',
      source: 'geofences',
      filter: isArea,
      paint: { 'line-color': '#f08c00', 'line-width': 1.5, 'line-dasharray': [3, 2] },
    });
    map.addLayer({
      id: 'geofence-labels',
      type: 'symbol',
      source: 'geofences',
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['get', 'name'], 'text-size': 12 },
      paint: { 'text-color': '#865200', 'text-halo-color': '#fff', 'text-halo-width': 1 },
    });
  }

  update(fences: readonly Geofence[]): void {
    this.fences = fences;
    if (this.map && this.display) void this.map.getSource<GeoJSONSource>('geofences')?.setData(collection(this.display, fences));
  }
}
