/**
 * The map with its overlays, composed once. This module and maplibre-gl load after the first paint (a
 * dynamic import from the shell), so logging in and the panels never wait for the map library.
 */
import { api } from '../api/client.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { BasemapSettings } from './basemaps.ts';
import { ConsoleMap } from './map.ts';
import { GeofencesLayer } from './layers/geofences.ts';
import { MarkersLayer } from './layers/markers.ts';
import { PlaybackLayer } from './layers/playback.ts';
import { UnitBoundariesLayer } from './layers/unit-boundaries.ts';
import { VehiclesLayer } from './layers/vehicles.ts';

export interface MapStack {
  map: ConsoleMap;
  vehicles: VehiclesLayer;
  markers: MarkersLayer;
  playback: PlaybackLayer;
  unitBoundaries: UnitBoundariesLayer;
  geofences: GeofencesLayer;
}

// The command centre's city until the units' boundaries say otherwise.
const DEFAULT_CENTRE: [number, number] = [114.0579, 22.5431];

export function createMapStack(container: HTMLElement, feed: LiveFeed, basemap: BasemapSettings, onSelect: (id: number) => void): MapStack {
  const map = new ConsoleMap(container, basemap, DEFAULT_CENTRE, 11);
  const unitBoundaries = new UnitBoundariesLayer();
  const geofences = new GeofencesLayer();
  const vehicles = new VehiclesLayer(
    () => feed.differ.vehicles.values(),
    (id) => {
      if (!map.picking) onSelect(id);
    },
  );
  const markers = new MarkersLayer();
  const playback = new PlaybackLayer();
  // Order is drawing order: the units' areas at the bottom, geofences over them, then tracks, vehicles, and the
  // dispatcher's own marks on top.
  map.register(unitBoundaries);
  map.register(geofences);
  map.register(playback);
  map.register(vehicles);
  map.register(markers);
  feed.onDiff((diff) => vehicles.update(diff));
  const fleetFramed = centreOnFleet(map, feed);
  api.unitBoundaries().then(
    (units) => {
      unitBoundaries.update(units);
      // Until a vehicle reports, the units' areas show where the city is.
      const box = fleetFramed() ? null : boundsOf(units.features.flatMap(({ geometry: g }) => (g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2))));
      if (box) map.fitWgs84(box);
    },
    () => undefined,
  );
  api.geofences().then((fences) => geofences.update(fences), () => undefined);
  return { map, vehicles, markers, playback, unitBoundaries, geofences };
}

/**
 * Frames the fleet once its first positions are known, so the console opens on the city's own vehicles.
 * Returns whether that has happened.
 */
function centreOnFleet(map: ConsoleMap, feed: LiveFeed): () => boolean {
  let framed = frameFleet(map, feed);
  if (!framed) {
    const off = feed.onDiff(() => {
      if ((framed = frameFleet(map, feed))) off();
    });
  }
  return () => framed;
}

function frameFleet(map: ConsoleMap, feed: LiveFeed): boolean {
  const placed = [...feed.differ.vehicles.values()].flatMap((v) => (v.lat === null || v.lon === null ? [] : [[v.lon, v.lat]]));
  const box = boundsOf(placed);
  if (box) map.fitWgs84(box);
  return box !== null;
}

/** [west, south, east, north] around [lon, lat] points; null for none. */
function boundsOf(points: readonly number[][]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    box[0] = Math.min(box[0], lon!);
    box[1] = Math.min(box[1], lat!);
    box[2] = Math.max(box[2], lon!);
    box[3] = Math.max(box[3], lat!);
  }
  return box;
}
