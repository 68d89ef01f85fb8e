/**
 * Points the dispatcher is working with: the selected ticket, the point being picked for a new ticket, and
 * the nearest vehicles offered for it, joined to the ticket by a line so the choice reads at a glance.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Display } from '../display.ts';

export interface MarkerData {
  ticket?: { lat: number; lon: number; label: string };
  picked?: { lat: number; lon: number };
  nearest?: Array<{ lat: number; lon: number; label: string }>;
}

function collection(display: Display, data: MarkerData): FeatureCollection {
  const features: Feature[] = [];
  const point = (lat: number, lon: number, kind: string, label = ''): Feature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: display.toMap(lon, lat) },
    properties: { kind, label },
  });
  if (data.ticket) {
    const ticket = data.ticket;
    for (const near of data.nearest ?? []) {
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [display.toMap(ticket.lon, ticket.lat), display.toMap(near.lon, near.lat)] },
        properties: { kind: 'link', label: near.label },
      });
    }
    features.push(point(ticket.lat, ticket.lon, 'ticket', ticket.label));
  }
  if (data.picked) features.push(point(data.picked.lat, data.picked.lon, 'picked'));
  return { type: 'FeatureCollection', features };
}

export class MarkersLayer {
  private map: MapLibreMap | undefined;
  private display: Display | undefined;
  private data: MarkerData = {};
  private visible = true;

  add(map: MapLibreMap, display: Display): void {
    this.map = map;
    this.display = display;
    map.addSource('markers', { type: 'geojson', data: collection(display, this.data) });
    map.addLayer({
      id: 'marker-links',
      type: 'line',
      source: 'markers',
      filter: ['==', ['get', 'kind'], 'link'],
      paint: { 'line-color': '#1971c2', 'line-width': 2, 'line-dasharray': [2, 2] },
    });
    map.addLayer({
      id: 'marker-points',
      type: 'circle',
      source: 'markers',
      filter: ['!=', ['get', 'kind'], 'link'],
      paint: {
        'circle-radius': 10,
        'circle-color': ['match', ['get', 'kind'], 'picked', '#1971c2', '#e03131'],
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 3,
      },
    });
    map.addLayer({
      id: 'marker-labels',
      type: 'symbol',
      source: 'markers',
      filter: ['==', ['get', 'kind'], 'ticket'],
      layout: { 'text-field': ['get', 'label'], 'text-size': 12, 'text-offset': [0, -1.6], 'text-anchor': 'bottom' },
      paint: { 'text-color': '#c92a2a', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
    this.setVisible(this.visible);
  }

  /** The dispatcher's marks belong to the ticket desk; other views hide them without forgetting them. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const id of ['marker-links', 'marker-points', 'marker-labels']) {
      if (this.map?.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  update(data: MarkerData): void {
    this.data = data;
    if (this.map && this.display) void this.map.getSource<GeoJSONSource>('markers')?.setData(collection(this.display, data));
  }
}
