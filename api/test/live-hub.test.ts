import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, insertUnit, type SqlClient } from '@urbanlink/db';
import { createTestPglite } from '@urbanlink/db/testing';
import { DeviceDirectory } from '../src/live/directory.ts';
import type { Position } from '@urbanlink/protocols';
import { positionMessage } from '../../ingest/src/position-message.ts';
import { LiveFeed, parseBusMessage, positionBusMessage, type LivePosition } from '../src/live/feed.ts';
import { LiveHub, type LiveClient, type Subscription } from '../src/live/hub.ts';
import { PendingPositions } from '../src/live/pending-positions.ts';
import { parseSubscription } from '../src/routes/live/index.ts';

function position(deviceId: number, uniqueId: string, second: number, lat: number, lon: number, alarms: string[] = []): LivePosition {
  const fixTime = `2026-11-28T10:00:${String(second).padStart(2, '0')}.000Z`;
  return { deviceId, uniqueId, fixTime, fixTimeMs: Date.parse(fixTime), lat, lon, speedKmh: 12.345, course: 90.4, altitude: 0, valid: true, alarms, attributes: {} };
}

function client(subscription: Partial<Subscription> = {}, scope: number[] | null = null, buffered = 0) {
  const sent: any[] = [];
  const closed: number[] = [];
  const c: LiveClient = {
    scope: scope && new Set(scope),
    subscription: { bbox: null, deviceIds: null, ...subscription },
    send: (text) => sent.push(JSON.parse(text)),
    bufferedBytes: () => buffered,
    close: (code) => closed.push(code),
  };
  return { c, sent, closed };
}

describe('live hub (in-memory database)', () => {
  let db: SqlClient;
  let feed: LiveFeed;
  let hub: LiveHub;
  let directory: DeviceDirectory;
  const cars: { id: number; uniqueId: string; unitId: number }[] = [];

  beforeAll(async () => {
    db = await createTestPglite();
    const units = [await insertUnit(db, { name: 'a', kind: 'squad' }), await insertUnit(db, { name: 'b', kind: 'squad' })];
    for (let i = 0; i < 3; i++) {
      const device = (await insertDevice(db, { uniqueId: `86000000000000${i}`, name: `car ${i}`, unitId: units[i % 2]!.id }))!;
      cars.push({ id: device.id, uniqueId: device.uniqueId, unitId: device.unitId! });
    }
    feed = new LiveFeed();
    directory = new DeviceDirectory(db, feed);
    await directory.load();
    hub = new LiveHub(feed, directory);
  });
  afterAll(async () => db?.close());

  it('keeps the newest fix per device, ignores a late older one, and carries an alarm raised within the tick', () => {
    const watcher = client();
    hub.add(watcher.c);
    const [car] = cars;
    feed.emit('position', position(car!.id, car!.uniqueId, 1, 22.1, 114.1, ['sos']));
    feed.emit('position', position(car!.id, car!.uniqueId, 5, 22.5, 114.5));
    feed.emit('position', position(car!.id, car!.uniqueId, 3, 22.3, 114.3));
    hub.tick();
    expect(watcher.sent).toEqual([
      expect.objectContaining({ type: 'tick', positions: [{ deviceId: car!.id, fixTime: '2026-11-28T10:00:05.000Z', lat: 22.5, lon: 114.5, speedKmh: 12.3, course: 90, valid: true, alarms: ['sos'] }] }),
    ]);
    hub.remove(watcher.c);
  });

  it('keeps pending changes in columns that grow, one per vehicle per tick, emptied by each tick', () => {
    const pending = new PendingPositions();
    for (let id = 1; id <= 3_000; id++) pending.set(position(id, `u${id}`, 1, 22 + id / 1e4, 114.1234567));
    pending.set(position(7, 'u7', 2, 30, 120, ['sos']));
    expect(pending.size).toBe(3_000);
    const i = [...Array(pending.size).keys()].find((n) => pending.deviceIdAt(n) === 7)!;
    expect(JSON.parse(pending.jsonAt(i))).toEqual({ deviceId: 7, fixTime: '2026-11-28T10:00:02.000Z', lat: 30, lon: 120, speedKmh: 12.3, course: 90, valid: true, alarms: ['sos'] });
    expect(JSON.parse(pending.jsonAt(0))).toEqual({ deviceId: 1, fixTime: '2026-11-28T10:00:01.000Z', lat: 22.0001, lon: 114.123457, speedKmh: 12.3, course: 90, valid: true });
    pending.clear();
    expect(pending.size).toBe(0);
    // The next tick starts afresh: an older fix than last tick's is news again, and alarms are not carried over.
    pending.set(position(7, 'u7', 1, 31, 121));
    pending.set(position(7, 'u7', 1, 32, 122));
    expect(pending.size).toBe(1);
    expect(JSON.parse(pending.jsonAt(0))).toMatchObject({ deviceId: 7, lat: 32, lon: 122 });
    expect(JSON.parse(pending.jsonAt(0)).alarms).toBeUndefined();
  });

  it('filters by unit scope, device ids and viewport (also across the antimeridian)', () => {
    const scoped = client({}, [cars[0]!.unitId]);
    const byId = client({ deviceIds: new Set([cars[1]!.id]) });
    const pacific = client({ bbox: [170, -20, -170, 20] });
    for (const watcher of [scoped, byId, pacific]) hub.add(watcher.c);
    feed.emit('position', position(cars[0]!.id, cars[0]!.uniqueId, 10, 0, 179.5));
    feed.emit('position', position(cars[1]!.id, cars[1]!.uniqueId, 10, 0, 10));
    feed.emit('position', position(cars[2]!.id, cars[2]!.uniqueId, 10, 5, -175));
    hub.tick();
    const ids = (watcher: { sent: any[] }) => watcher.sent[0].positions.map((p: { deviceId: number }) => p.deviceId).sort();
    expect(ids(scoped)).toEqual([cars[0]!.id, cars[2]!.id].sort());
    expect(ids(byId)).toEqual([cars[1]!.id]);
    expect(ids(pacific)).toEqual([cars[0]!.id, cars[2]!.id].sort());
    for (const watcher of [scoped, byId, pacific]) hub.remove(watcher.c);
  });

  it('drops a client that does not keep up', () => {
    const slow = client({}, null, 64 * 1024 * 1024);
    hub.add(slow.c);
    feed.emit('position', position(cars[0]!.id, cars[0]!.uniqueId, 20, 1, 1));
    hub.tick();
    expect(slow.sent).toEqual([]);
    expect(slow.closed).toEqual([1013]);
    expect(hub.clientCount).toBe(0);
  });

  it('tells of a deleted device only the clients whose unit subtree held it', async () => {
    const doomed = (await insertDevice(db, { uniqueId: '860000000000050', name: 'doomed', unitId: cars[0]!.unitId }))!;
    feed.emit('device', { deviceId: doomed.id, device: doomed });
    hub.tick();
    const sameUnit = client({}, [cars[0]!.unitId]);
    const otherUnit = client({}, [cars[1]!.unitId]);
    const everyUnit = client();
    for (const watcher of [sameUnit, otherUnit, everyUnit]) hub.add(watcher.c);
    feed.emit('device', { deviceId: doomed.id, device: null });
    expect(directory.get(doomed.id)).toBeUndefined();
    hub.tick();
    for (const watcher of [sameUnit, everyUnit]) expect(watcher.sent).toEqual([expect.objectContaining({ type: 'tick', devices: [{ deviceId: doomed.id, deleted: true }] })]);
    expect(otherUnit.sent).toEqual([]);
    for (const watcher of [sameUnit, otherUnit, everyUnit]) hub.remove(watcher.c);
  });

  it('admits a bus message only when its device id belongs to the terminal in the topic', async () => {
    const seen: number[] = [];
    feed.on('position', (p) => seen.push(p.deviceId));
    const message = (deviceId: number, uniqueId: string) =>
      parseBusMessage(feed, `urbanlink/v1/devices/${uniqueId}/position`, Buffer.from(JSON.stringify({ deviceId, fixTime: '2026-11-28T10:01:00Z', lat: 1, lon: 2 })))!;
    const foreignBefore = feed.foreign;
    directory.admit(feed, message(cars[0]!.id, cars[0]!.uniqueId));
    directory.admit(feed, message(cars[0]!.id, '123456789012345'));
    directory.admit(feed, message(999_999, '123456789012345'));
    directory.admit(feed, message(999_999, '123456789012345'));
    await expect.poll(() => feed.foreign - foreignBefore).toBe(3);
    expect(seen).toEqual([cars[0]!.id]);
    expect(parseBusMessage(feed, 'urbanlink/v1/devices/1/position', Buffer.from('{"deviceId":1,"lat":95}'))).toBeNull();
    // A device created through the API is admitted at once, even right after its id was looked up in vain.
    const device = (await insertDevice(db, { uniqueId: '860000000000099', name: 'new car' }))!;
    feed.emit('device', { deviceId: device.id, device });
    directory.admit(feed, message(device.id, device.uniqueId));
    expect(seen).toEqual([cars[0]!.id, device.id]);
  });

  it('reads the terminal and the kind of message from the topic, and ignores topics that are not ours', () => {
    const payload = Buffer.from(JSON.stringify({ deviceId: 7, type: 'status', status: 'online', fixTime: '2026-11-28T10:01:00Z', lat: 1, lon: 2 }));
    const parse = (topic: string) => parseBusMessage(feed, topic, payload);
    expect(parse('urbanlink/v1/devices/860000000000007/position')).toMatchObject({ kind: 'position', uniqueId: '860000000000007', position: { deviceId: 7, lat: 1, lon: 2 } });
    expect(parse('urbanlink/v1/devices/860000000000007/event')).toMatchObject({ kind: 'event', uniqueId: '860000000000007', status: { status: 'online' } });
    for (const topic of [
      'urbanlink/v1/devices//position',
      'urbanlink/v1/devices/86/00/position',
      'urbanlink/v1/devices/860000000000007/positions',
      'urbanlink/v1/devices/860000000000007/status',
      'urbanlink/v1/devices/860000000000007',
      'urbanlink/v2/devices/860000000000007/position',
      'x/urbanlink/v1/devices/860000000000007/position',
    ]) {
      expect(parse(topic), topic).toBeNull();
    }
  });

  it('makes of a position handed over as a value what it makes of its JSON, and refuses the same places', () => {
    const base: Position = {
      uniqueId: '861', fixTimeMs: Date.parse('2026-11-28T10:00:01.250Z'), lat: 22.5431, lon: -114.0579, altitudeM: 12.5, speedKmh: 61.7,
      course: 359, valid: true, satellites: 9, ignition: true, odometerKm: 1234.5, fuelL: null, alarms: [], attributes: {},
    };
    const positions: Position[] = [
      base,
      { ...base, valid: false, speedKmh: 0, alarms: ['sos', 'powerCut'], attributes: { battery: 87, lbs: { mcc: 460 } } },
      { ...base, fixTimeMs: base.fixTimeMs + 0.75, lat: -90, lon: 180, altitudeM: Number.NaN },
    ];
    for (const p of positions) {
      const fromJson = parseBusMessage(feed, 'urbanlink/v1/devices/861/position', Buffer.from(positionMessage(42, '861', p)));
      expect(positionBusMessage(feed, 42, '861', p)).toEqual(fromJson);
    }
    const malformedBefore = feed.malformed;
    expect(positionBusMessage(feed, 42, '861', { ...base, lat: 90.5 })).toBeNull();
    expect(positionBusMessage(feed, 42, '861', { ...base, lon: Number.NaN })).toBeNull();
    expect(feed.malformed - malformedBefore).toBe(2);
  });

  it('parses subscriptions and names what is wrong', () => {
    expect(parseSubscription('{"type":"subscribe","bbox":[113,22,114,23],"deviceIds":[4,5]}')).toEqual({ bbox: [113, 22, 114, 23], deviceIds: new Set([4, 5]) });
    expect(parseSubscription('{"type":"subscribe"}')).toEqual({ bbox: null, deviceIds: null });
    expect(parseSubscription('{"type":"subscribe","bbox":[0,10,1,5]}')).toMatch(/upside down/);
    expect(parseSubscription('{"type":"subscribe","deviceIds":[0]}')).toMatch(/deviceIds/);
    expect(parseSubscription('nope')).toMatch(/JSON/);
  });
});
