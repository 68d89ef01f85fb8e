/**
 * Every vehicle, live. The source is clustered (10 000 points stay smooth when zoomed out) and keyed by
 * device id, so a tick moves only the vehicles that changed, through `updateData`. Colours come from the
 * `shade` property by expression; hover and selection are feature state, never data.
 */
import type { Feature, Point } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { Display } from '../display.ts';
import { shadeOf, type VehicleDiff, type VehicleState } from '../../live/vehicle-diff.ts';

const SOURCE = 'vehicles';
export const SHADE_COLOURS = { on_task: '#d9480f', standby: '#2b8a3e', unavailable: '#7048e8', offline: '#adb5bd' } as const;

function toFeature(display: Display, vehicle: VehicleState): Feature<Point> {
  return {
    type: 'Feature',
    id: vehicle.id,
    geometry: { type: 'Point', coordinates: display.toMap(vehicle.lon!, vehicle.lat!) },
    properties: { plate: vehicle.plate || vehicle.name, shade: shadeOf(vehicle), course: vehicle.course },
  };
}

/** A white arrow pointing north, drawn once; used as an SDF so its colour can follow the zoom. */
function arrowImage(): ImageData {
  const size = 24;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.beginPath();
  ctx.moveTo(12, 3);
  ctx.lineTo(19, 19);
  ctx.lineTo(12, 15);
  ctx.lineTo(5, 19);
  ctx.closePath();
  ctx.fill();
  return ctx.getImageData(0, 0, size, size);
}

export class VehiclesLayer {
  private map: MapLibreMap | undefined;
  private display: Display | undefined;
  private selected: number | null = null;
  private hovered: number | null = null;
  private handlersAttached = false;
  private visible = true;
  private readonly all: () => Iterable<VehicleState>;
  private readonly onSelect: (id: number) => void;

  constructor(all: () => Iterable<VehicleState>, onSelect: (id: number) => void) {
    this.all = all;
    this.onSelect = onSelect;
  }

  add(map: MapLibreMap, display: Display): void {
    this.map = map;
    this.display = display;
    const features: Feature<Point>[] = [];
    for (const vehicle of this.all()) if (vehicle.lat !== null && vehicle.lon !== null) features.push(toFeature(display, vehicle));
    map.addSource(SOURCE, {
      type: 'geojson',
      data: { type: 'FeatureCollection', features },
      cluster: true,
      clusterMaxZoom: 13,
      clusterRadius: 48,
    });
    map.addImage('vehicle-arrow', arrowImage(), { sdf: true });
    map.addLayer({
      id: 'vehicle-clusters',
      type: 'circle',
      source: SOURCE,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': ['step', ['get', 'point_count'], '#4dabf7', 50, '#1c7ed6', 500, '#1864ab'],
        'circle-radius': ['step', ['get', 'point_count'], 14, 50, 18, 500, 24],
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'vehicle-cluster-count',
      type: 'symbol',
      source: SOURCE,
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff' },
    });
    map.addLayer({
      id: 'vehicle-points',
      type: 'circle',
      source: SOURCE,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': ['match', ['get', 'shade'], 'on_task', SHADE_COLOURS.on_task, 'standby', SHADE_COLOURS.standby, 'unavailable', SHADE_COLOURS.unavailable, SHADE_COLOURS.offline],
        'circle-radius': ['case', ['boolean', ['feature-state', 'selected'], false], 12, 9],
        'circle-stroke-color': ['case', ['boolean', ['feature-state', 'selected'], false], '#212529', '#fff'],
        'circle-stroke-width': ['case', ['any', ['boolean', ['feature-state', 'selected'], false], ['boolean', ['feature-state', 'hover'], false]], 3, 1.5],
      },
    });
    map.addLayer({
      id: 'vehicle-heading',
      type: 'symbol',
      source: SOURCE,
      filter: ['!', ['has', 'point_count']],
      layout: {
        'icon-image': 'vehicle-arrow',
        'icon-size': 0.6,
        'icon-rotate': ['get', 'course'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
      paint: { 'icon-color': '#fff' },
    });
    map.addLayer({
      id: 'vehicle-labels',
      type: 'symbol',
      source: SOURCE,
      minzoom: 12,
      filter: ['!', ['has', 'point_count']],
      layout: { 'text-field': ['get', 'plate'], 'text-size': 11, 'text-offset': [0, 1.3], 'text-anchor': 'top', 'text-optional': true },
      paint: { 'text-color': '#212529', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
    if (this.selected !== null) map.setFeatureState({ source: SOURCE, id: this.selected }, { selected: true });
    this.setVisible(this.visible);
    this.attachHandlers(map);
  }

  update(diff: VehicleDiff): void {
    const map = this.map;
    const display = this.display;
    if (!map || !display) return;
    const source = map.getSource<GeoJSONSource>(SOURCE);
    if (!source) return;
    void source.updateData({
      add: diff.add.map((v) => toFeature(display, v)),
      remove: diff.remove,
      update: diff.update.map((v) => {
        const feature = toFeature(display, v);
        return {
          id: v.id,
          newGeometry: feature.geometry,
          addOrUpdateProperties: Object.entries(feature.properties!).map(([key, value]) => ({ key, value })),
        };
      }),
    });
  }

  select(id: number | null): void {
    if (this.map?.getSource(SOURCE)) {
      if (this.selected !== null) this.map.setFeatureState({ source: SOURCE, id: this.selected }, { selected: false });
      if (id !== null) this.map.setFeatureState({ source: SOURCE, id }, { selected: true });
    }
    this.selected = id;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const id of ['vehicle-clusters', 'vehicle-cluster-count', 'vehicle-points', 'vehicle-heading', 'vehicle-labels']) {
      if (this.map?.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  // Handlers bound to layer ids survive a style switch, so they are attached once.
  private attachHandlers(map: MapLibreMap): void {
    if (this.handlersAttached) return;
    this.handlersAttached = true;
    map.on('click', 'vehicle-points', (event: MapLayerMouseEvent) => {
      const id = event.features?.[0]?.id;
      if (typeof id === 'number') this.onSelect(id);
    });
    map.on('click', 'vehicle-clusters', async (event: MapLayerMouseEvent) => {
      const feature = event.features?.[0];
      const clusterId = feature?.properties?.cluster_id as number | undefined;
      if (clusterId === undefined || feature?.geometry.type !== 'Point') return;
      const zoom = await map.getSource<GeoJSONSource>(SOURCE)!.getClusterExpansionZoom(clusterId);
      map.easeTo({ center: feature.geometry.coordinates as [number, number], zoom });
    });
    map.on('mousemove', 'vehicle-points', (event: MapLayerMouseEvent) => {
      const id = event.features?.[0]?.id;
      if (typeof id !== 'number' || id === this.hovered) return;
      this.clearHover(map);
      this.hovered = id;
      map.setFeatureState({ source: SOURCE, id }, { hover: true });
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', 'vehicle-points', () => this.clearHover(map));
  }

  private clearHover(map: MapLibreMap): void {
    if (this.hovered !== null && map.getSource(SOURCE)) map.setFeatureState({ source: SOURCE, id: this.hovered }, { hover: false });
    this.hovered = null;
    map.getCanvas().style.cursor = '';
  }
}
