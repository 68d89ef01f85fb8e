import { describe, expect, it } from 'vitest';
import { encodeJt808, type Jt808LocationFields, type Jt808Target } from '@urbanlink/protocols';
import { decodeOne, random } from './support/jt808-frames.ts';

// Random messages encode → split → decode to themselves. ROUNDTRIP_ITERATIONS raises the count.
const ITERATIONS = Number(process.env.ROUNDTRIP_ITERATIONS ?? 200);
const TEXT_POOL = 'abcXYZ019 -_/城管执法局人民路占道经营请前往处置。，';
const NUMBER_ITEMS = [
  { id: 0x01, key: 'mileageKm', max: 429496729.5, tenths: true },
  { id: 0x02, key: 'fuelL', max: 6553.5, tenths: true },
  { id: 0x03, key: 'recorderSpeedKmh', max: 6553.5, tenths: true },
  { id: 0x04, key: 'alarmEventId', max: 65535 },
  { id: 0x25, key: 'extendedStatus', max: 4294967295 },
  { id: 0x2a, key: 'io', max: 65535 },
  { id: 0x30, key: 'rssi', max: 255 },
  { id: 0x31, key: 'satellites', max: 255 },
];

function generators(seed: number) {
  const next = random(seed);
  const int = (max: number) => Math.floor(next() * (max + 1));
  const text = (max: number) => Array.from({ length: int(max) }, () => TEXT_POOL[int(TEXT_POOL.length - 1)]).join('').trim();
  const ascii = (max: number) => Array.from({ length: int(max) }, () => String.fromCharCode(33 + int(93))).join('');
  const target = (): Jt808Target => {
    const version = next() < 0.5 ? 2013 : 2019;
    return { phone: Array.from({ length: int(version === 2013 ? 12 : 20) }, () => int(9)).join(''), version };
  };
  const location = (): Jt808LocationFields => {
    const items = NUMBER_ITEMS.filter(() => next() < 0.5).map((item) => ({
      id: item.id,
      value: item.tenths ? int(item.max * 10) / 10 : int(item.max),
    }));
    const raw = Array.from({ length: int(3) }, (_, i) => ({ id: 0xe0 + i, value: Buffer.from(Array.from({ length: int(12) }, () => int(255))) }));
    return {
      alarm: int(0xffffffff),
      status: int(0xffffffff),
      lat: (int(180_000_000) - 90_000_000) / 1e6 || 1,
      lon: (int(360_000_000) - 180_000_000) / 1e6 || 1,
      altitudeM: int(9500) - 500,
      speedKmh: int(65535) / 10,
      course: int(359),
      fixTimeMs: Date.UTC(2000, 0, 1) + int(99 * 365 * 86_400) * 1000,
      items: [...items, ...raw],
    };
  };
  return { int, text, ascii, target, location };
}

function expectPosition(position: unknown, input: Jt808LocationFields): void {
  const south = input.lat < 0 ? 4 : 0;
  const west = input.lon < 0 ? 8 : 0;
  const status = ((input.status! & ~12) | south | west) >>> 0;
  const attributes: Record<string, unknown> = { alarm: input.alarm, status };
  for (const item of input.items ?? []) {
    const known = NUMBER_ITEMS.find((n) => n.id === item.id);
    attributes[known ? known.key : `item0x${item.id.toString(16).toUpperCase()}`] = known ? item.value : Buffer.from(item.value as Buffer).toString('hex');
  }
  const value = (id: number) => (input.items?.find((i) => i.id === id)?.value as number | undefined) ?? null;
  expect(position).toMatchObject({
    lat: input.lat,
    lon: input.lon,
    altitudeM: input.altitudeM,
    speedKmh: input.speedKmh,
    course: input.course,
    fixTimeMs: input.fixTimeMs,
    valid: (status & 2) !== 0,
    ignition: (status & 1) !== 0,
    odometerKm: value(0x01),
    fuelL: value(0x02),
    satellites: value(0x31),
    attributes,
  });
}

describe('jt808 encode → decode round trips', () => {
  it('0x0200, 0x0201 and 0x0704 with random items', () => {
    const g = generators(1);
    for (let i = 0; i < ITERATIONS; i++) {
      const target = g.target();
      const serial = g.int(65535);
      const input = g.location();
      const message = decodeOne(encodeJt808.location(target, input, serial));
      expect(message.header).toMatchObject({ serial, version: target.version, uniqueId: target.phone.replace(/^0+(?=.)/, '') || '0' });
      expectPosition((message as { position: unknown }).position, input);
      const reply = decodeOne(encodeJt808.locationReply(target, { ackSerial: serial, location: input }, 1));
      expect(reply).toMatchObject({ ackSerial: serial });
      const locations = [input, g.location()];
      const batch = decodeOne(encodeJt808.locationBatch(target, { batchType: i & 1, locations }, serial)) as unknown as { positions: unknown[] };
      locations.forEach((location, n) => expectPosition(batch.positions[n], location));
    }
  });

  it('register, authenticate, responses, parameters, media event', () => {
    const g = generators(2);
    for (let i = 0; i < ITERATIONS; i++) {
      const target = g.target();
      const register = {
        provinceId: g.int(65535),
        cityId: g.int(65535),
        manufacturerId: g.ascii(5),
        terminalModel: g.ascii(8),
        terminalId: g.ascii(7),
        plateColor: g.int(255),
        plate: g.text(8),
      };
      expect(decodeOne(encodeJt808.register(target, register, 1))).toMatchObject(register);
      const auth = { authCode: g.ascii(30), imei: g.ascii(15), softwareVersion: g.ascii(20) };
      const decodedAuth = decodeOne(encodeJt808.authenticate(target, auth, 2));
      expect(decodedAuth).toMatchObject(target.version === 2019 ? auth : { authCode: auth.authCode, imei: null });
      const response = { ackSerial: g.int(65535), ackId: g.int(65535), result: g.int(4) };
      expect(decodeOne(encodeJt808.terminalResponse(target, response, 3))).toMatchObject(response);
      const params = [{ id: 0x0001, value: g.int(0xffffffff) }, { id: 0x0083, value: g.text(9) }, { id: 0x0084, value: g.int(255) }];
      expect(decodeOne(encodeJt808.parameters(target, { ackSerial: 5, params }, 4))).toMatchObject({ params });
      const media = { mediaId: g.int(0xffffffff), mediaType: g.int(2), format: g.int(4), event: g.int(7), channel: g.int(255) };
      expect(decodeOne(encodeJt808.mediaEvent(target, media, 5))).toMatchObject(media);
    }
  });

  it('downlinks: 0x8001, 0x8100, 0x8103, 0x8105, 0x8202, 0x8300, 0x9101', () => {
    const g = generators(3);
    for (let i = 0; i < ITERATIONS; i++) {
      const target = g.target();
      const serial = g.int(65535);
      const ack = { ackSerial: g.int(65535), ackId: g.int(65535), result: g.int(4) as 0 };
      expect(decodeOne(encodeJt808.platformAck(target, ack.ackSerial, ack.ackId, ack.result, serial))).toMatchObject({ ...ack, header: { serial } });
      const authCode = g.ascii(20);
      expect(decodeOne(encodeJt808.registerAck(target, ack.ackSerial, 0, authCode, serial))).toMatchObject({ authCode });
      const params = [{ id: g.int(0xffff) + 0x10000, value: g.int(0xffffffff) }, { id: 0x0013, value: g.ascii(30) }];
      expect(decodeOne(encodeJt808.setParameters(target, params, serial))).toMatchObject({ params });
      const control = { command: g.int(255), params: g.text(20) };
      expect(decodeOne(encodeJt808.control(target, control, serial))).toMatchObject(control);
      const tracking = { intervalS: g.int(65535), validityS: g.int(0xffffffff) };
      expect(decodeOne(encodeJt808.tracking(target, tracking, serial))).toMatchObject(tracking);
      const text = { flag: g.int(255), text: g.text(60), textType: g.int(1) + 1 };
      expect(decodeOne(encodeJt808.text(target, text, serial))).toMatchObject({ ...text, textType: target.version === 2019 ? text.textType : null });
      const video = { ip: g.ascii(40), tcpPort: g.int(65535), udpPort: g.int(65535), channel: g.int(255), dataType: g.int(4), stream: g.int(1) };
      expect(decodeOne(encodeJt808.liveVideo(target, video, serial))).toMatchObject(video);
    }
  });
});
