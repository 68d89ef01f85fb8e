import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NearestVehicles, type DispatchStatus } from '../src/nearest/nearest-vehicles.ts';

const NOW = Date.UTC(2026, 10, 28, 12);

function fleet(settings: ConstructorParameters<typeof NearestVehicles>[0] = {}): NearestVehicles {
  const index = new NearestVehicles({ now: () => NOW, ...settings });
  const add = (deviceId: number, northM: number, status: DispatchStatus, unitId: number, ageSeconds = 10) =>
    index.upsertVehicle({
      deviceId,
      uniqueId: `86812000000000${deviceId}`,
      name: `car ${deviceId}`,
      plate: null,
      unitId,
      dispatchStatus: status,
      position: { fixTimeMs: NOW - ageSeconds * 1000, lat: 22.5 + northM / 111_195, lon: 114, speedKmh: 0, course: 0, valid: true },
    });
  add(1, 100, 'standby', 10);
  add(2, 200, 'on_task', 10);
  add(3, 300, 'standby', 20);
  add(4, 400, 'standby', 10, 3600);
  add(5, 500, 'unavailable', 20);
  add(6, 5000, 'standby', 10);
  return index;
}

describe('NearestVehicles', () => {
  it('answers fresh standby vehicles by distance, with an ETA at the configured speed', () => {
    const answer = fleet({ etaSpeedKmh: 36 }).nearestByDistance({ lat: 22.5, lon: 114, limit: 10 });
    expect(answer.map((v) => v.deviceId)).toEqual([1, 3, 6]);
    expect(answer[0]).toMatchObject({ distanceMeters: 100, etaSeconds: 10, method: 'greatCircle', dispatchStatus: 'standby' });
  });

  it('filters by status, unit subtree and freshness when asked', () => {
    const index = fleet();
    const ids = (q: Parameters<NearestVehicles['nearestByDistance']>[0]) => index.nearestByDistance(q).map((v) => v.deviceId);
    expect(ids({ lat: 22.5, lon: 114, limit: 10, statuses: ['standby', 'on_task', 'unavailable'] })).toEqual([1, 2, 3, 5, 6]);
    expect(ids({ lat: 22.5, lon: 114, limit: 10, unitIds: new Set([20]) })).toEqual([3]);
    expect(ids({ lat: 22.5, lon: 114, limit: 10, maxAgeSeconds: 0 })).toEqual([1, 3, 4, 6]);
    expect(ids({ lat: 22.5, lon: 114, limit: 2 })).toEqual([1, 3]);
  });

  it('follows live positions and status changes, ignoring stale and invalid fixes', () => {
    const index = fleet();
    expect(index.updatePosition(6, { fixTimeMs: NOW, lat: 22.5, lon: 114, speedKmh: 30, course: 0, valid: true })).toBe(true);
    expect(index.updatePosition(6, { fixTimeMs: NOW - 60_000, lat: 23, lon: 114, speedKmh: 30, course: 0, valid: true })).toBe(false);
    expect(index.get(6)?.position).toEqual({ fixTimeMs: NOW, lat: 22.5, lon: 114, speedKmh: 30, course: 0, valid: true });
    expect(index.updatePosition(1, { fixTimeMs: NOW, lat: 23, lon: 114, speedKmh: 0, course: 0, valid: false })).toBe(false);
    expect(index.updatePosition(99, { fixTimeMs: NOW, lat: 22.5, lon: 114, speedKmh: 0, course: 0, valid: true })).toBe(false);
    index.setDispatchStatus(1, 'on_task');
    index.removeVehicle(3);
    expect(index.get(3)).toBeUndefined();
    expect(index.nearestByDistance({ lat: 22.5, lon: 114, limit: 10 }).map((v) => v.deviceId)).toEqual([6]);
    expect(index.nearestByDistance({ lat: 22.5, lon: 114, limit: 1 })[0]!.position).toMatchObject({ lat: 22.5, speedKmh: 30, fixTimeMs: NOW });
  });

  it('filters on the current record after edits, removals and a vehicle removed and its place taken by another', () => {
    const index = fleet();
    index.removeVehicle(3);
    const record = { uniqueId: '868120000000007', name: 'car 7', plate: null, unitId: 20, dispatchStatus: 'standby' as const };
    index.upsertVehicle({ deviceId: 7, ...record, position: { fixTimeMs: NOW, lat: 22.5 + 350 / 111_195, lon: 114, speedKmh: 0, course: 0, valid: true } });
    index.upsertVehicle({ deviceId: 1, uniqueId: '868120000000001', name: 'car 1', plate: null, unitId: 20, dispatchStatus: 'standby' });
    index.upsertVehicle({ deviceId: 5, uniqueId: '868120000000005', name: 'car 5', plate: null, unitId: 20, dispatchStatus: 'standby' });
    const answer = index.nearestByDistance({ lat: 22.5, lon: 114, limit: 10, unitIds: new Set([20]) });
    expect(answer.map((v) => [v.deviceId, v.name, v.distanceMeters])).toEqual([[1, 'car 1', 100], [7, 'car 7', 350], [5, 'car 5', 500]]);
    index.setDispatchStatus(7, 'unavailable');
    expect(index.nearestByDistance({ lat: 22.5, lon: 114, limit: 10, unitIds: new Set([20]) }).map((v) => v.deviceId)).toEqual([1, 5]);
  });
});

describe('NearestVehicles with OSRM', () => {
  let server: Server;
  let url: string;
  let requests: URL[] = [];
  let failing = false;

  beforeAll(async () => {
    // Speaks the OSRM table response format: durations[source][destination] in seconds, distances in metres.
    server = createServer((request, response) => {
      const asked = new URL(request.url!, 'http://osrm');
      requests.push(asked);
      if (failing) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 'InvalidQuery', message: 'Query string malformed' }));
        return;
      }
      const coordinates = asked.pathname.split('/')[4]!.split(';');
      const sources = asked.searchParams.get('sources')!.split(';').map(Number);
      // The road graph: the vehicle farthest north is the quickest (it is on the ring road); car 3 is unroutable.
      const durations = sources.map((i) => {
        const [, lat] = coordinates[i]!.split(',').map(Number);
        return lat! > 22.54 ? [60] : lat! > 22.5025 ? [null] : [600];
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'Ok', durations, distances: durations.map(([d]) => [d == null ? null : d * 10]), sources: [], destinations: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('re-ranks the candidates by road time and says so', async () => {
    requests = [];
    failing = false;
    const index = fleet({ osrm: { url }, osrmCandidates: 5 });
    const answer = await index.nearest({ lat: 22.5, lon: 114, limit: 3 });
    expect(answer.map((v) => v.deviceId)).toEqual([6, 1, 3]);
    expect(answer.every((v) => v.method === 'osrm')).toBe(true);
    expect(answer[0]).toMatchObject({ etaSeconds: 60, roadDistanceMeters: 600, distanceMeters: 5000 });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.pathname).toBe('/table/v1/driving/114.000000,22.500899;114.000000,22.502698;114.000000,22.544966;114.000000,22.500000');
    expect(requests[0]!.searchParams.get('destinations')).toBe('3');
    expect(requests[0]!.searchParams.get('sources')).toBe('0;1;2');
  });

  it('falls back to great-circle ranking when OSRM refuses', async () => {
    failing = true;
    const answer = await fleet({ osrm: { url } }).nearest({ lat: 22.5, lon: 114, limit: 2 });
    expect(answer.map((v) => [v.deviceId, v.method])).toEqual([[1, 'greatCircle'], [3, 'greatCircle']]);
  });
});
