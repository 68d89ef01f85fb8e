import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { decodeGt06, decodeJt808, encodeGt06, encodeJt808, FrameError, type Jt808Target } from '@urbanlink/protocols';
import { insertDevice } from '@urbanlink/db';
import { createSqlStore, startEmbeddedBroker, startIngest, type EmbeddedBroker, type Ingest, type LocalBus } from '@urbanlink/ingest';
import { RawTerminal, hex, unescapeJt808 } from '../../ingest/test/helpers.ts';
import { bearer, buildTestApp, type TestApp } from './helper.ts';
import { connectLive } from './live-client.ts';

const GT06_IMEI = '869000000000101';
const JT808_PHONE = '13920000101';
// shared/vectors/gt06.tsv: a real 0x16 alarm packet, alarm code 0x01 (SOS), with a fix in Guangdong.
const GT06_SOS = hex('787825160b0b0f0e241dcf027ac8870c4657e60014020901cc00287d001f726506040101003656a40d0a');

interface AlarmJson {
  id: number;
  deviceId: number;
  source: string;
  kind: string;
  geofenceId: number | null;
  state: string;
  details: Record<string, unknown>;
}
interface LiveAlarm {
  type: 'alarm';
  change: string;
  alarm: AlarmJson;
}
interface Tick {
  type: 'tick';
  positions: { deviceId: number; fixTime: string; lat: number; lon: number }[];
}

/**
 * Alarms and live pushes from terminals on real sockets: frames go through ingest (decode, store, MQTT) to the
 * API, which detects the alarms, stores them, and pushes them and the positions to a browser's WebSocket.
 */
describe('alarms and live pushes from real terminals through ingest', () => {
  let t: TestApp;
  let broker: EmbeddedBroker;
  let bus: LocalBus;
  let ingest: Ingest;
  let base: string;
  let gt06Id: number;
  let jt808Id: number;
  let fenceId: number;

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    // As `urbanlink start` runs them: ingest and the API share the embedded broker's bus in one process (the
    // other live tests connect the API to the broker over MQTT).
    bus = broker.localBus();
    // Ticks a minute apart: the test ticks the hub itself, so an alarm that arrives was pushed on its own.
    t = await buildTestApp({ bus, config: { liveTickMs: 60_000 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    ingest = await startIngest({
      store: createSqlStore(t.db.client), bus, logger: pino({ level: 'silent' }),
      gt06: { port: 0, host: '127.0.0.1' }, jt808: { port: 0, host: '127.0.0.1' }, metricsLogMs: 0, stateFlushMs: 50,
    });
    gt06Id = (await api('POST', '/api/devices', { uniqueId: GT06_IMEI, name: 'gt06 car', protocol: 'gt06' })).json().id;
    jt808Id = (await insertDevice(t.db.client, { uniqueId: JT808_PHONE, name: '808 car', protocol: 'jt808', authCode: 'code808' }))!.id;
    const fence = await api('POST', '/api/geofences', {
      name: 'School zone', shape: { type: 'circle', center: { lat: 22.5431, lon: 114.0579 }, radiusMeters: 500 }, speedLimitKmh: 40,
    });
    expect(fence.statusCode, fence.body).toBe(201);
    fenceId = fence.json().id;
  });

  afterAll(async () => {
    await ingest?.close();
    await bus?.close();
    await t?.close();
    await broker?.close();
  });

  it('a GT06 SOS and a JT/T 808 fix speeding inside a fence become stored alarms, pushed live with the positions', async () => {
    const live = await connectLive(base, t.adminToken);
    const sos = decodeGt06(GT06_SOS);
    if (sos instanceof FrameError || sos.name !== 'alarm') throw new Error('the vector is a GT06 alarm packet');

    const gt06 = await RawTerminal.open(ingest.ports.gt06!);
    const jt808 = await RawTerminal.open(ingest.ports.jt808!);
    try {
      gt06.send(encodeGt06.login(GT06_IMEI, 1));
      expect(await gt06.read(10)).toEqual(encodeGt06.ack(0x01, 1));
      gt06.send(GT06_SOS);
      expect(await gt06.read(10)).toEqual(encodeGt06.ack(0x16, sos.serial));

      const target: Jt808Target = { phone: JT808_PHONE, version: 2013 };
      jt808.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
      await jt808.readJt808();
      const fixTimeMs = Date.UTC(2026, 10, 28, 9, 0, 0);
      jt808.send(encodeJt808.location(target, { lat: 22.5431, lon: 114.0579, speedKmh: 70, course: 90, fixTimeMs }, 2));
      expect(decodeJt808(unescapeJt808(await jt808.readJt808()))).toMatchObject({ name: 'platformAck', ackSerial: 2, ackId: 0x0200, result: 0 });

      const byKind = (rows: AlarmJson[]) => [...rows].sort((a, b) => a.kind.localeCompare(b.kind));
      await expect.poll(async () => (await api('GET', '/api/alarms')).json<AlarmJson[]>().length, { timeout: 10_000 }).toBe(3);
      const stored = byKind((await api('GET', '/api/alarms')).json<AlarmJson[]>());
      expect(stored).toMatchObject([
        { deviceId: jt808Id, source: 'geofence', kind: 'geofenceEnter', geofenceId: fenceId, state: 'open' },
        { deviceId: jt808Id, source: 'speed', kind: 'overspeed', geofenceId: fenceId, state: 'open', details: { limitKmh: 40, speedKmh: 70 } },
        { deviceId: gt06Id, source: 'terminal', kind: 'sos', geofenceId: null, state: 'open' },
      ]);

      // Each alarm is pushed on its own as it is raised, the same rows the API lists.
      const pushed = () => live.messages.filter((m) => m.type === 'alarm') as unknown as LiveAlarm[];
      await expect.poll(() => pushed().length, { timeout: 10_000 }).toBe(3);
      expect(pushed().every((m) => m.change === 'raised')).toBe(true);
      expect(byKind(pushed().map((m) => m.alarm)).map((a) => a.id)).toEqual(stored.map((a) => a.id));

      // The positions reach the browser with the next tick (one per device, whichever tick carries it).
      const ticked = new Map<number, Tick['positions'][number]>();
      await expect.poll(() => {
        t.app.liveHub.tick();
        for (const tick of live.messages.filter((m) => m.type === 'tick') as unknown as Tick[]) for (const p of tick.positions) ticked.set(p.deviceId, p);
        return ticked.size;
      }, { timeout: 10_000 }).toBe(2);
      expect(ticked.get(gt06Id)).toMatchObject({ fixTime: new Date(sos.position.fixTimeMs).toISOString(), lat: sos.position.lat, lon: sos.position.lon });
      expect(ticked.get(jt808Id)).toMatchObject({ fixTime: new Date(fixTimeMs).toISOString(), lat: 22.5431, lon: 114.0579 });
    } finally {
      gt06.close();
      jt808.close();
      live.socket.close();
    }
  });

  it('a speed limit set with PATCH /api/devices/{id} raises overspeed for the next fix over it', async () => {
    const patched = await api('PATCH', `/api/devices/${gt06Id}`, { speedLimitKmh: 50 });
    expect(patched.json()).toMatchObject({ speedLimitKmh: 50 });
    const sos = decodeGt06(GT06_SOS);
    if (sos instanceof FrameError || sos.name !== 'alarm') throw new Error('the vector is a GT06 alarm packet');
    const gt06 = await RawTerminal.open(ingest.ports.gt06!);
    try {
      gt06.send(encodeGt06.login(GT06_IMEI, 1));
      await gt06.read(10);
      // Outside the fence, a minute after the SOS fix, at 80 km/h.
      gt06.send(encodeGt06.location({ ...sos.position, fixTimeMs: sos.position.fixTimeMs + 60_000, speedKmh: 80, alarms: [] }, 2));
      expect(await gt06.read(10)).toEqual(encodeGt06.ack(0x12, 2));
      const overspeed = () => api('GET', `/api/alarms?deviceId=${gt06Id}`).then((r) => r.json<AlarmJson[]>().filter((a) => a.kind === 'overspeed'));
      await expect.poll(async () => (await overspeed()).length, { timeout: 10_000 }).toBe(1);
      expect((await overspeed())[0]).toMatchObject({ source: 'speed', geofenceId: null, details: { limitKmh: 50, speedKmh: 80 } });
    } finally {
      gt06.close();
    }
  });
});
