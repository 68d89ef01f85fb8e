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
  api.unitBoundaries().then((units) => unitBoundaries.update(units), () => undefined);
  api.geofences().then((fences) => geofences.update(fences), () => undefined);
  centreOnFleet(map, feed);
  return { map, vehicles, markers, playback, unitBoundaries, geofences };
}

/** Frames the fleet once its first positions are known, so the console opens on the city's own vehicles. */
function centreOnFleet(map: ConsoleMap, feed: LiveFeed): void {
  if (frameFleet(map, feed)) return;
  const off = feed.onDiff(() => {
    if (frameFleet(map, feed)) off();
  });
}

function frameFleet(map: ConsoleMap, feed: LiveFeed): boolean {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const v of feed.differ.vehicles.values()) {
    if (v.lat === null || v.lon === null) continue;
    w = Math.min(w, v.lon);
    e = Math.max(e, v.lon);
    s = Math.min(s, v.lat);
    n = Math.max(n, v.lat);
  }
  if (w > e) return false;
  map.fitWgs84([w, s, e, n]);
  return true;
}
