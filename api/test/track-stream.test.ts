import { describe, expect, it } from 'vitest';
import { streamTracks, type TrackSource } from '../src/track/track-stream.ts';
import { createTrackWriter } from '../src/track/writers.ts';
import type { TrackFormat, TrackMeta } from '../src/track/track-writer.ts';
import { fix, pageOf, type Fix } from './track-fixtures.ts';

// An in-memory source with the same keyset-paging contract as the SQL one.
function arraySource(tracks: Map<number, Fix[]>): TrackSource & { pages: number } {
  const source = {
    pages: 0,
    async readPage(deviceId: number, fromMs: number, toMs: number, limit: number) {
      source.pages++;
      return pageOf((tracks.get(deviceId) ?? []).filter((p) => p.fixTimeMs >= fromMs && p.fixTimeMs < toMs).slice(0, limit));
    },
    async alarms(deviceId: number) {
      const alarms = [{ id: 7, kind: 'sos', time: fix(5, 0, 0).fixTimeMs, lat: 22.5, lon: 114, state: 'open' }].filter(() => deviceId === 1);
      return { alarms, truncated: false };
    },
  };
  return source;
}

const drive = Array.from({ length: 250 }, (_, t) => fix(t, t < 100 || t >= 220 ? t * 10 : 1000, t < 100 || t >= 220 ? 36 : 0));
const metas: TrackMeta[] = [
  { deviceId: 1, uniqueId: '868120000000001', name: 'car 1', plate: '粤B·12345' },
  { deviceId: 2, uniqueId: '868120000000002', name: 'car <2>', plate: null },
];
const request = { fromMs: fix(0, 0, 0).fixTimeMs, toMs: fix(1000, 0, 0).fixTimeMs, toleranceM: null };
const settings = { pageSize: 64, firstWindowMs: 30_000, stopSpeedKmh: 5, minStopSeconds: 60, maxGapSeconds: 300 };

async function render(format: TrackFormat, toleranceM: number | null = null): Promise<string> {
  const source = arraySource(new Map([[1, drive], [2, drive.slice(0, 50)]]));
  let out = '';
  for await (const chunk of streamTracks(source, createTrackWriter(format), { ...request, toleranceM }, metas, settings)) {
    out += chunk;
  }
  return out;
}

describe('streamTracks', () => {
  it('writes JSON with every point across pages, trips, stops, alarms and totals per track', async () => {
    const doc = JSON.parse(await render('json'));
    expect(doc.tracks).toHaveLength(2);
    const [one, two] = doc.tracks;
    expect(one.plate).toBe('粤B·12345');
    expect(one.points).toHaveLength(250);
    expect(one.points[0]).toEqual({ fixTime: '2026-01-01T00:00:00.000Z', lat: 22.5, lon: 114, speedKmh: 36, course: 0, altitude: 10, valid: true });
    expect(one.stops).toHaveLength(1);
    expect(one.trips).toHaveLength(2);
    expect(one.alarms[0]).toMatchObject({ kind: 'sos', time: '2026-01-01T00:00:05.000Z' });
    expect(one.summary.pointCount).toBe(250);
    expect(one.summary.distanceMeters).toBeCloseTo(2490, -1);
    expect(two.points).toHaveLength(50);
    expect(two.alarms).toEqual([]);
  });

  it('reads every fix through dense stretches and long silences in few time-bounded pages', async () => {
    const day = 86_400;
    const sparse = [
      ...Array.from({ length: 300 }, (_, t) => fix(t, t * 10, 36)),
      ...Array.from({ length: 5 }, (_, i) => fix(3 * day + i * 3600, 3000, 0)),
      ...Array.from({ length: 300 }, (_, t) => fix(6 * day + t, 3000 + t * 10, 36)),
    ];
    const source = arraySource(new Map([[1, sparse]]));
    const period = { fromMs: fix(0, 0, 0).fixTimeMs, toMs: fix(7 * day, 0, 0).fixTimeMs, toleranceM: null };
    let out = '';
    for await (const chunk of streamTracks(source, createTrackWriter('csv'), period, metas.slice(0, 1), settings)) out += chunk;
    expect(out.trimEnd().split('\r\n')).toHaveLength(1 + sparse.length);
    // 600 dense fixes fill about ten 64-row pages; the empty days cost a handful of doubling windows.
    expect(source.pages).toBeLessThan(40);
  });

  it('simplifies the points returned but sums over all of them', async () => {
    const doc = JSON.parse(await render('json', 20));
    const one = doc.tracks[0];
    expect(one.points.length).toBeLessThan(20);
    expect(one.summary.returnedPoints).toBe(one.points.length);
    expect(one.summary.pointCount).toBe(250);
  });

  it('writes GeoJSON whose line pieces join into the whole track', async () => {
    const doc = JSON.parse(await render('geojson'));
    expect(doc.type).toBe('FeatureCollection');
    const lines = doc.features.filter((f: { properties: { kind: string; deviceId: number } }) => f.properties.kind === 'track' && f.properties.deviceId === 1);
    const coordinates = lines.flatMap((f: { geometry: { coordinates: number[][] } }, i: number) => f.geometry.coordinates.slice(i > 0 ? 1 : 0));
    expect(coordinates).toHaveLength(250);
    expect(lines[0].properties.times).toHaveLength(lines[0].geometry.coordinates.length);
    const kinds = doc.features.map((f: { properties: { kind: string } }) => f.properties.kind);
    expect(kinds.filter((k: string) => k === 'summary')).toHaveLength(2);
    expect(kinds).toContain('stop');
    expect(kinds).toContain('alarm');
  });

  it('writes GPX with a track per device, alarms as waypoints and escaped names', async () => {
    const gpx = await render('gpx');
    expect(gpx.match(/<trkpt /g)).toHaveLength(300);
    expect(gpx.match(/<trk>/g)).toHaveLength(2);
    expect(gpx).toContain('<name>car &#60;2&#62;</name>');
    expect(gpx.indexOf('<wpt ')).toBeLessThan(gpx.indexOf('<trk>'));
    expect(gpx.trimEnd().endsWith('</gpx>')).toBe(true);
  });

  it('writes CSV with a header and one row per fix', async () => {
    const lines = (await render('csv')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('deviceId,fixTime,lat,lon,speedKmh,course,altitude,valid');
    expect(lines).toHaveLength(301);
    expect(lines[1]).toBe('1,2026-01-01T00:00:00.000Z,22.5,114,36,0,10,true');
  });
});
