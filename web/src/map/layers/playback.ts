/**
 * Replayed tracks: each line simplified for the current zoom (a month of 1 Hz fixes would otherwise be
 * millions of vertices), stops and alarms marked, and one head per vehicle moved every frame.
 */
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Display } from '../display.ts';
import type { TrackEntry } from '../../api/types.ts';
import { sampleAt, type Track } from '../../playback/track.ts';
import { simplifyIndices, toleranceForZoom } from '../../playback/simplify.ts';

export interface PlaybackTrack {
  track: Track;
  colour: string;
  label: string;
  /** What the server derived from every fix: totals, stops, alarms. */
  entry: TrackEntry;
}

const MAX_SIMPLIFY_ZOOM = 14;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class PlaybackLayer {
  private map: MapLibreMap | undefined;
  private display: Display | undefined;
  private tracks: PlaybackTrack[] = [];
  private time = 0;
  // Simplified lines per track and integer zoom: zooming back and forth costs nothing the second time.
  private readonly simplified = new WeakMap<Track, Map<number, Uint32Array>>();
  private zoomHandler = false;

  add(map: MapLibreMap, display: Display): void {
    this.map = map;
    this.display = display;
    map.addSource('playback-lines', { type: 'geojson', data: EMPTY });
    map.addSource('playback-marks', { type: 'geojson', data: EMPTY });
    map.addSource('playback-heads', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'playback-lines',
      type: 'line',
      source: 'playback-lines',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': ['get', 'colour'], 'line-width': 3, 'line-opacity': 0.85 },
    });
    map.addLayer({
      id: 'playback-marks',
      type: 'circle',
      source: 'playback-marks',
      paint: {
        'circle-radius': ['match', ['get', 'kind'], 'alarm', 7, 6],
        'circle-color': ['match', ['get', 'kind'], 'alarm', '#e03131', '#fff'],
        'circle-stroke-color': ['match', ['get', 'kind'], 'alarm', '#fff', '#495057'],
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'playback-heads',
      type: 'circle',
      source: 'playback-heads',
      paint: { 'circle-radius': 9, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 },
    });
    map.addLayer({
      id: 'playback-head-labels',
      type: 'symbol',
      source: 'playback-heads',
      layout: { 'text-field': ['get', 'label'], 'text-size': 12, 'text-offset': [0, 1.4], 'text-anchor': 'top', 'text-allow-overlap': true },
      paint: { 'text-color': '#212529', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
    if (!this.zoomHandler) {
      this.zoomHandler = true;
      map.on('zoomend', () => this.drawLines());
    }
    this.drawLines();
    this.drawMarks();
    this.setTime(this.time);
  }

  setTracks(tracks: PlaybackTrack[]): void {
    this.tracks = tracks;
    this.drawLines();
    this.drawMarks();
  }

  /** Moves every head to where its vehicle was at `t`; returns the first head's stored position for the camera. */
  setTime(t: number): [number, number] | undefined {
    this.time = t;
    const display = this.display;
    if (!display) return undefined;
    let first: [number, number] | undefined;
    const features: Feature[] = [];
    for (const entry of this.tracks) {
      const sample = sampleAt(entry.track, t);
      if (!sample) continue;
      first ??= [sample.lon, sample.lat];
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: display.toMap(sample.lon, sample.lat) },
        properties: { colour: entry.colour, label: `${entry.label} ${Math.round(sample.speedKmh)} km/h` },
      });
    }
    void this.map?.getSource<GeoJSONSource>('playback-heads')?.setData({ type: 'FeatureCollection', features });
    return first;
  }

  private indicesFor(track: Track, zoom: number): Uint32Array {
    let byZoom = this.simplified.get(track);
    if (!byZoom) this.simplified.set(track, (byZoom = new Map()));
    let indices = byZoom.get(zoom);
    if (!indices) byZoom.set(zoom, (indices = simplifyIndices(track, toleranceForZoom(zoom))));
    return indices;
  }

  private drawLines(): void {
    const map = this.map;
    const display = this.display;
    if (!map || !display) return;
    // Past this zoom the tolerance is under a few metres; maplibre's own tiling handles the rest.
    const zoom = Math.min(MAX_SIMPLIFY_ZOOM, Math.round(map.getZoom()));
    const features: Feature[] = this.tracks.map((entry) => {
      const coordinates: Position[] = [];
      for (const i of this.indicesFor(entry.track, zoom)) coordinates.push(display.toMap(entry.track.lon[i]!, entry.track.lat[i]!));
      return { type: 'Feature', geometry: { type: 'LineString', coordinates }, properties: { colour: entry.colour } };
    });
    void map.getSource<GeoJSONSource>('playback-lines')?.setData({ type: 'FeatureCollection', features });
  }

  private drawMarks(): void {
    const display = this.display;
    if (!display) return;
    const features: Feature[] = [];
    for (const { entry, track } of this.tracks) {
      for (const stop of entry.stops) {
        features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: display.toMap(stop.lon, stop.lat) }, properties: { kind: 'stop' } });
      }
      for (const alarm of entry.alarms) {
        // An alarm without its own fix is placed where the track was at that moment.
        const at = alarm.lat !== null && alarm.lon !== null ? { lat: alarm.lat, lon: alarm.lon } : sampleAt(track, Date.parse(alarm.time));
        if (!at) continue;
        features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: display.toMap(at.lon, at.lat) }, properties: { kind: 'alarm', type: alarm.kind } });
      }
    }
    void this.map?.getSource<GeoJSONSource>('playback-marks')?.setData({ type: 'FeatureCollection', features });
  }
}
