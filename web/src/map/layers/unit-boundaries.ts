/**
 * The units' areas (辖区: city bureau, district bureaus, squads), the bottom of the offline map: a faint tint,
 * an outline that is bolder the higher the unit, and one label per unit with its name and, in the console's
 * language, what kind of unit it is. They change rarely, so `update` replaces the whole collection; a language
 * switch only rewrites the labels.
 */
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { UnitBoundaries } from '../../api/types.ts';
import { onLanguageChange, t } from '../../i18n/i18n.ts';
import type { Display } from '../display.ts';

type BoundaryFeature = UnitBoundaries['features'][number];

const SOURCE = 'unit-boundaries';
export const UNIT_BOUNDARY_LAYERS = { fill: 'unit-boundary-fill', line: 'unit-boundary-line', labels: 'unit-boundary-labels' } as const;

const byKind = (city: string | number, district: string | number, squad: string | number): ExpressionSpecification =>
  ['match', ['get', 'kind'], 'city', city, 'district', district, squad];

function outerRings(feature: BoundaryFeature): Position[][] {
  const geometry = feature.geometry;
  return geometry.type === 'Polygon' ? [geometry.coordinates[0]!] : geometry.coordinates.map((polygon) => polygon[0]!);
}

function spanOf(ring: Position[]): number {
  const lons = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  return (Math.max(...lons) - Math.min(...lons)) * (Math.max(...lats) - Math.min(...lats));
}

// A polygon's label would repeat in every tile it crosses; one point per unit, the middle of its largest part.
function labelPoint(feature: BoundaryFeature): [number, number] {
  const ring = outerRings(feature).reduce((largest, r) => (spanOf(r) > spanOf(largest) ? r : largest));
  const vertices = ring.slice(0, -1);
  const n = Math.max(1, vertices.length);
  return [vertices.reduce((sum, p) => sum + p[0]!, 0) / n, vertices.reduce((sum, p) => sum + p[1]!, 0) / n];
}

function toDisplay(display: Display, ring: Position[]): Position[] {
  return ring.map(([lon, lat]) => display.toMap(lon!, lat!));
}

function collection(display: Display, boundaries: UnitBoundaries): FeatureCollection {
  const features: Feature[] = boundaries.features.flatMap((feature): Feature[] => {
    const { id, name, kind } = feature.properties;
    const properties = { id, name, kind, label: `${name}\n${t(`unitKind.${kind}`)}` };
    const geometry = feature.geometry;
    return [
      {
        type: 'Feature',
        geometry:
          geometry.type === 'Polygon'
            ? { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => toDisplay(display, ring)) }
            : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => toDisplay(display, ring))) },
        properties,
      },
      { type: 'Feature', geometry: { type: 'Point', coordinates: display.toMap(...labelPoint(feature)) }, properties },
    ];
  });
  return { type: 'FeatureCollection', features };
}

export class UnitBoundariesLayer {
  private map: MapLibreMap | undefined;
  private display: Display | undefined;
  private boundaries: UnitBoundaries = { type: 'FeatureCollection', features: [] };

  constructor() {
    onLanguageChange(() => this.redraw());
  }

  add(map: MapLibreMap, display: Display): void {
    this.map = map;
    this.display = display;
    map.addSource(SOURCE, { type: 'geojson', data: collection(display, this.boundaries) });
    const isArea: ExpressionSpecification = ['!=', ['geometry-type'], 'Point'];
    map.addLayer({ id: UNIT_BOUNDARY_LAYERS.fill, type: 'fill', source: SOURCE, filter: isArea, paint: { 'fill-color': byKind('#1c7ed6', '#4263eb', '#0c8599'), 'fill-opacity': 0.06 } });
    map.addLayer({
      id: UNIT_BOUNDARY_LAYERS.line,
      type: 'line',
      source: SOURCE,
      filter: isArea,
      paint: { 'line-color': byKind('#1864ab', '#364fc7', '#0b7285'), 'line-width': byKind(3, 2, 1.2), 'line-opacity': 0.8 },
    });
    map.addLayer({
      id: UNIT_BOUNDARY_LAYERS.labels,
      type: 'symbol',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['get', 'label'], 'text-size': byKind(15, 13, 12), 'text-optional': true },
      paint: { 'text-color': byKind('#1864ab', '#364fc7', '#0b7285'), 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
  }

  update(boundaries: UnitBoundaries): void {
    this.boundaries = boundaries;
    this.redraw();
  }

  private redraw(): void {
    if (this.map && this.display) void this.map.getSource<GeoJSONSource>(SOURCE)?.setData(collection(this.display, this.boundaries));
  }
}
