/**
 * The units' areas and the city's geofences: on the offline basemap they are the map, so they are drawn
 * under everything else. They change rarely, so `update` replaces the whole collection.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Geofence, Unit } from '../../api/types.ts';
import { geometryToMap, type Display } from '../display.ts';

export interface Boundaries {
  units: Unit[];
  geofences: Geofence[];
}

function collection(display: Display, data: Boundaries): FeatureCollection {
  const features: Feature[] = [];
  for (const unit of data.units) {
    if (unit.boundary) features.push({ type: 'Feature', geometry: geometryToMap(display, unit.boundary), properties: { kind: 'unit', name: unit.name } });
  }
  for (const fence of data.geofences) {
    const geometry = fence.area ?? fence.geometry;
    if (geometry) features.push({ type: 'Feature', geometry: geometryToMap(display, geometry), properties: { kind: 'geofence', name: fence.name } });
  }
  return { type: 'FeatureCollection', features };
}

export class BoundariesLayer {
  private map: MapLibreMap | undefined;
  private display: Display | undefined;
  private data: Boundaries = { units: [], geofences: [] };

  add(map: MapLibreMap, display: Display): void {
    this.map = map;
    this.display = display;
    map.addSource('boundaries', { type: 'geojson', data: collection(display, this.data) });
    const isUnit: ['==', ['get', 'kind'], string] = ['==', ['get', 'kind'], 'unit'];
    map.addLayer({ id: 'unit-fill', type: 'fill', source: 'boundaries', filter: isUnit, paint: { 'fill-color': '#f8f9fa', 'fill-opacity': 0.9 } });
    map.addLayer({ id: 'unit-line', type: 'line', source: 'boundaries', filter: isUnit, paint: { 'line-color': '#868e96', 'line-width': 1.5 } });
    map.addLayer({
      id: 'geofence-fill',
      type: 'fill',
      source: 'boundaries',
      filter: ['==', ['get', 'kind'], 'geofence'],
      paint: { 'fill-color': '#fab005', 'fill-opacity': 0.12 },
    });
    map.addLayer({
      id: 'geofence-line',
      type: 'line',
      source: 'boundaries',
      filter: ['==', ['get', 'kind'], 'geofence'],
      paint: { 'line-color': '#f08c00', 'line-width': 1.5, 'line-dasharray': [3, 2] },
    });
    map.addLayer({
      id: 'boundary-labels',
      type: 'symbol',
      source: 'boundaries',
      layout: { 'text-field': ['get', 'name'], 'text-size': 12, 'symbol-placement': 'point' },
      paint: { 'text-color': '#495057', 'text-halo-color': '#fff', 'text-halo-width': 1 },
    });
  }

  update(data: Boundaries): void {
    this.data = data;
    if (this.map && this.display) void this.map.getSource<GeoJSONSource>('boundaries')?.setData(collection(this.display, data));
  }
}
