import { describe, expect, it } from 'vitest';
import { encodeJt808, jt808TextFlag, type Jt808Message, type Jt808Target } from '@urbanlink/protocols';
import { decodeOne } from './support/jt808-frames.ts';

const T2013: Jt808Target = { phone: '013800138000', version: 2013 };
const T2019: Jt808Target = { phone: '13800138000', version: 2019 };
const FIX = Date.parse('2024-03-05T04:05:06Z');

function as<N extends Jt808Message['name']>(message: Jt808Message, name: N): Extract<Jt808Message, { name: N }> {
  expect(message.name).toBe(name);
  return message as Extract<Jt808Message, { name: N }>;
}

describe('jt808 0x0100 register', () => {
  const fields = { provinceId: 44, cityId: 300, manufacturerId: 'ABCDE', terminalModel: 'M1', terminalId: 'T000001', plateColor: 1, plate: '粤B12345' };

  it.each([2011, 2013] as const)('reads %i field widths under a 2013 header, with a GBK plate', (edition) => {
    const message = as(decodeOne(encodeJt808.register(T2013, { ...fields, edition }, 7)), 'register');
    expect(message).toMatchObject({ ...fields, edition, header: { uniqueId: '13800138000', serial: 7, version: 2013 } });
  });

  it('reads 2019 field widths under a 2019 header', () => {
    const wire = encodeJt808.register(T2019, { ...fields, terminalId: 'X'.repeat(30) }, 8);
    const message = as(decodeOne(wire), 'register');
    expect(message).toMatchObject({ edition: 2019, terminalId: 'X'.repeat(30), plate: '粤B12345', header: { version: 2019, protocolVersion: 1 } });
    expect(message.header.phone).toBe('00000000013800138000');
  });
});

describe('jt808 header phone', () => {
  it('keeps the digits as sent per header layout, whatever was decoded before', () => {
    for (let round = 0; round < 2; round++) {
      expect(decodeOne(encodeJt808.heartbeat(T2013, 1)).header).toMatchObject({ phone: '013800138000', uniqueId: '13800138000' });
      expect(decodeOne(encodeJt808.heartbeat(T2019, 1)).header).toMatchObject({ phone: '00000000013800138000', uniqueId: '13800138000' });
      const long = decodeOne(encodeJt808.heartbeat({ phone: '12345678901234567890', version: 2019 }, 1));
      expect(long.header).toMatchObject({ phone: '12345678901234567890', uniqueId: '12345678901234567890' });
    }
  });
});

describe('jt808 0x0102 authenticate', () => {
  it('reads the 2019 body: code length, code, IMEI and software version', () => {
    const wire = encodeJt808.authenticate(T2019, { authCode: 'code-1', imei: '861234567890123', softwareVersion: 'v1.2' }, 3);
    expect(decodeOne(wire)).toMatchObject({ name: 'authenticate', authCode: 'code-1', imei: '861234567890123', softwareVersion: 'v1.2' });
  });
});

describe('jt808 0x0200 additional items', () => {
  const items = [
    { id: 0x01, value: 1234.5 },
    { id: 0x02, value: 40.2 },
    { id: 0x03, value: 61.5 },
    { id: 0x04, value: 9 },
    { id: 0x06, value: -12 },
    { id: 0x11, value: Buffer.from('00', 'hex') },
    { id: 0x12, value: Buffer.from('010000002a01', 'hex') },
    { id: 0x13, value: Buffer.from('0000000700780001', 'hex').subarray(0, 7) },
    { id: 0x25, value: 0x10 },
    { id: 0x2a, value: 3 },
    { id: 0x2b, value: Buffer.from('00640032', 'hex') },
    { id: 0x30, value: 25 },
    { id: 0x31, value: 11 },
    { id: 0xe1, value: Buffer.from('cafe', 'hex') },
    { id: 0x30, value: 26 },
    { id: 0x01, value: Buffer.from('0102', 'hex') },
  ];
  const wire = encodeJt808.location(
    T2013,
    { alarm: (1 << 20) | (1 << 8) | (1 << 13), status: 0b11 | (3 << 8) | (1 << 10) | (1 << 19), lat: -33.8688, lon: -151.2093, altitudeM: -5, speedKmh: 88.8, course: 359, fixTimeMs: FIX, items },
    99,
  );

  it('decodes every standard item, keeps unknown and misfit ones as hex, lets a repeated id win last', () => {
    const { position } = as(decodeOne(wire), 'location');
    expect(position).toMatchObject({
      uniqueId: '13800138000',
      fixTimeMs: FIX,
      lat: -33.8688,
      lon: -151.2093,
      altitudeM: -5,
      speedKmh: 88.8,
      course: 359,
      valid: true,
      ignition: true,
      odometerKm: 1234.5,
      fuelL: 40.2,
      satellites: 11,
    });
    expect(position.attributes).toMatchObject({
      recorderSpeedKmh: 61.5,
      alarmEventId: 9,
      carriageTemperatureC: -12,
      overspeedAlarm: { areaType: 0 },
      areaAlarm: { areaType: 1, areaId: 42, direction: 1 },
      sectionTimeAlarm: { sectionId: 7, drivingTimeS: 120, result: 0 },
      extendedStatus: 0x10,
      io: 3,
      analog: { ad1: 100, ad0: 50 },
      rssi: 26,
      item0xE1: 'cafe',
      item0x01: '0102',
      load: 'full',
    });
    expect(position.attributes.statusFlags).toEqual(['acc', 'located', 'south', 'west', 'oilCut', 'beidou']);
  });

  it('maps alarm bits to the normalised names, area direction to geofence exit', () => {
    const { position } = as(decodeOne(wire), 'location');
    expect(position.alarms).toEqual(['powerCut', 'overspeedWarning', 'geofenceExit']);
    expect(position.attributes.alarmFlags).toEqual(['mainPowerCut', 'overspeedWarning', 'area']);
  });

  it('applies the context time zone to BCD times', () => {
    const frame = decodeOne(wire);
    expect(frame.name).toBe('location');
    const utc = as(decodeOne(encodeJt808.location({ ...T2013, timeZoneOffsetMinutes: 0 }, { lat: 1, lon: 2, fixTimeMs: FIX }, 1)), 'location');
    // Written as if UTC, read as GMT+8: the fix moves eight hours earlier.
    expect(utc.position.fixTimeMs).toBe(FIX - 8 * 3_600_000);
  });
});

describe('jt808 0x0201, 0x0704, 0x0104, 0x0800, 0x0004', () => {
  const location = { lat: 22.5, lon: 114.05, speedKmh: 30, fixTimeMs: FIX, items: [{ id: 0x01, value: 5 }] };

  it('0x0201 carries the query serial and a position', () => {
    expect(decodeOne(encodeJt808.locationReply(T2013, { ackSerial: 321, location }, 4))).toMatchObject({
      name: 'locationReply',
      ackSerial: 321,
      position: { lat: 22.5, lon: 114.05, odometerKm: 5 },
    });
  });

  it.each([0, 1])('0x0704 batch type %i carries every position', (batchType) => {
    const locations = [location, { ...location, lat: 23, fixTimeMs: FIX + 1000 }, { ...location, items: [] }];
    const message = as(decodeOne(encodeJt808.locationBatch(T2019, { batchType, locations }, 5)), 'locationBatch');
    expect(message.batchType).toBe(batchType);
    expect(message.positions.map((p) => [p.lat, p.fixTimeMs, p.odometerKm, p.uniqueId])).toEqual([
      [22.5, FIX, 5, '13800138000'],
      [23, FIX + 1000, 5, '13800138000'],
      [22.5, FIX, null, '13800138000'],
    ]);
  });

  it('0x0104 types parameters by id', () => {
    const params = [
      { id: 0x0001, value: 30 },
      { id: 0x0013, value: 'gps.example.cn' },
      { id: 0x0031, value: 500 },
      { id: 0x0084, value: 2 },
      { id: 0xf001, value: Buffer.from('010203', 'hex') },
    ];
    expect(decodeOne(encodeJt808.parameters(T2013, { ackSerial: 77, params }, 6))).toMatchObject({ name: 'parameters', ackSerial: 77, params });
  });

  it('0x0800 media event and 0x0004 time request', () => {
    const media = { mediaId: 9, mediaType: 2, format: 4, event: 1, channel: 3 };
    expect(decodeOne(encodeJt808.mediaEvent(T2013, media, 1))).toMatchObject({ name: 'mediaEvent', ...media });
    expect(decodeOne(encodeJt808.timeRequest(T2019, 2))).toMatchObject({ name: 'timeRequest', type: 0x0004 });
  });

  it('an unsupported id decodes to "unknown" with its body, so ingest can answer it', () => {
    const wire = encodeJt808.frame(T2013, 0x0900, Buffer.from('41ff', 'hex'), 12);
    expect(decodeOne(wire)).toMatchObject({ name: 'unknown', type: 0x0900, body: Buffer.from('41ff', 'hex') });
  });
});

describe('jt808 downlink encoders (2013 and 2019 layouts)', () => {
  it('0x8003 writes a BYTE count under 2013 and a WORD count under 2019', () => {
    const a = encodeJt808.resendRequest(T2013, { originalSerial: 0x1234, packets: [2, 5] }, 1);
    const b = encodeJt808.resendRequest(T2019, { originalSerial: 0x1234, packets: [2, 5] }, 1);
    expect(a.toString('hex')).toContain('1234020002' + '0005');
    expect(b.toString('hex')).toContain('123400020002' + '0005');
    for (const wire of [a, b]) expect(decodeOne(wire)).toMatchObject({ name: 'resendRequest', originalSerial: 0x1234, packets: [2, 5] });
  });

  it('0x8004, 0x8104, 0x8106, 0x8201, 0x8203 and 0x8300 with GBK text decode back', () => {
    expect(decodeOne(encodeJt808.timeReply(T2019, FIX, 1))).toMatchObject({ name: 'timeReply', timeMs: FIX });
    expect(decodeOne(encodeJt808.queryParameters(T2013, 2))).toMatchObject({ name: 'queryParameters', type: 0x8104 });
    expect(decodeOne(encodeJt808.querySomeParameters(T2013, [1, 0x13], 3))).toMatchObject({ ids: [1, 0x13] });
    expect(decodeOne(encodeJt808.locationQuery(T2019, 4))).toMatchObject({ name: 'locationQuery' });
    expect(decodeOne(encodeJt808.alarmConfirm(T2013, { ackSerial: 8, alarmMask: 1 }, 5))).toMatchObject({ ackSerial: 8, alarmMask: 1 });
    const text = decodeOne(encodeJt808.text(T2019, { flag: 0x0c, text: '请前往人民路处置占道经营', textType: 2 }, 6));
    expect(text).toMatchObject({ name: 'text', flag: 0x0c, textType: 2, text: '请前往人民路处置占道经营' });
  });

  it('0x8300 flag bytes follow each edition: urgency is bit 0 in 2013, a two-bit kind in 2019', () => {
    expect(jt808TextFlag({ urgent: true, display: true }, 2013)).toBe(0x05);
    expect(jt808TextFlag({ display: true, adScreen: true }, 2013)).toBe(0x14);
    expect(jt808TextFlag({ display: true }, 2019)).toBe(0x05);
    expect(jt808TextFlag({ urgent: true, display: true, tts: true }, 2019)).toBe(0x0e);
    expect(jt808TextFlag({ notice: true, adScreen: true, canFaultCode: true }, 2019)).toBe(0x23);
  });

  it('0x8100 omits the auth code when registration failed', () => {
    expect(encodeJt808.registerAck(T2013, 5, 2, 'ignored', 1).toString('hex')).toBe('7e8100000301380013800000010005022e7e');
  });

  it('refuses values that do not fit, before writing anything', () => {
    expect(() => encodeJt808.platformAck(T2013, 70000, 2, 0, 1)).toThrow('ackSerial must be an integer in 0..65535, got 70000');
    expect(() => encodeJt808.heartbeat({ phone: '1234567890123', version: 2013 }, 1)).toThrow('cannot write "1234567890123" as 6 BCD byte(s)');
    expect(() => encodeJt808.location(T2013, { lat: 91, lon: 0, fixTimeMs: FIX }, 1)).toThrow('lat must be in -90..90, got 91');
    expect(() => encodeJt808.location(T2013, { lat: 0, lon: 0, fixTimeMs: Date.UTC(1999, 0) }, 1)).toThrow('is outside the BCD range 2000–2099');
    expect(() => encodeJt808.frame(T2013, 0x0900, Buffer.alloc(1024), 1)).toThrow('body of 1024 bytes exceeds 1023; send it in subpackages');
    expect(() => encodeJt808.setParameters(T2013, [{ id: 0x0001, value: '30' }], 1)).toThrow('parameter 0x1 takes a number, not text');
    expect(() => encodeJt808.setParameters(T2013, [{ id: 0x0013, value: 30 }], 1)).toThrow('parameter 0x13 takes text, not a number');
  });
});
