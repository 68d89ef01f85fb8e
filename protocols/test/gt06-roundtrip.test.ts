import { describe, expect, it } from 'vitest';
import {
  FrameError,
  GT06_ALARM_CODES,
  GT06_LAYOUTS,
  GT06_TYPES,
  createGt06Splitter,
  decodeGt06,
  encodeGt06,
  type Gt06DecodeContext,
  type Gt06Message,
  type Position,
} from '@urbanlink/protocols';
import { randomInt, seededRandom } from './support/gt06-frames.ts';

const ITERATIONS = Number(process.env.ROUNDTRIP_ITERATIONS ?? 300);
const SCALE = 1_800_000;
const MAX_BY_KIND: Record<string, number> = { u8: 0xff, alarmCode: 0xff, u16: 0xffff, u24: 0xffffff, u32: 0xffffffff };
const random = seededRandom(0x6706);

function decodeOne(frame: Buffer, context: Gt06DecodeContext): Gt06Message {
  const results: (Gt06Message | FrameError)[] = [];
  createGt06Splitter().push(frame, (part) => results.push(decodeGt06(part, context)));
  expect(results).toHaveLength(1);
  if (results[0] instanceof FrameError) throw results[0];
  return results[0]!;
}

function coordinate(limit: number): number {
  const units = randomInt(random, 0, limit * SCALE);
  return units === 0 ? 0 : (random() < 0.5 ? -units : units) / SCALE;
}

/** A position every layout field of `fields` can carry exactly, with attributes as the decoder names them. */
function randomPosition(fields: readonly { name: string; kind: string }[], uniqueId: string): Position {
  const attributes: Record<string, unknown> = {};
  let ignition: boolean | null = random() < 0.3 ? null : random() < 0.5;
  for (const field of fields) {
    const max = MAX_BY_KIND[field.kind];
    if (max !== undefined) attributes[field.name] = randomInt(random, 0, max);
    if (field.kind === 'centivolts') attributes[field.name] = randomInt(random, 0, 0xffff) / 100;
    if (field.kind === 'acc') {
      attributes[field.name] = randomInt(random, 0, 1);
      ignition = attributes[field.name] === 1;
    }
  }
  const code = attributes.alarmCode as number | undefined;
  const alarm = code === undefined ? undefined : GT06_ALARM_CODES.get(code);
  return {
    uniqueId,
    fixTimeMs: Date.UTC(2000, 0, 1) + randomInt(random, 0, 99 * 365 * 86400) * 1000,
    lat: coordinate(90),
    lon: coordinate(180),
    altitudeM: 0,
    speedKmh: randomInt(random, 0, 255),
    course: randomInt(random, 0, 359),
    valid: random() < 0.5,
    satellites: randomInt(random, 0, 15),
    ignition,
    odometerKm: null,
    fuelL: null,
    alarms: alarm === undefined ? [] : [alarm],
    attributes,
  };
}

function randomText(alphabet: string, min: number, max: number): string {
  const length = randomInt(random, min, max);
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[randomInt(random, 0, alphabet.length - 1)];
  return text;
}

const ASCII = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ,#:!?';
const CHINESE = '城管执法断油电成功失败设置完成指令错误';
const digits = (length: number): string => randomText('0123456789', length, length);

describe('GT06 encode → decode round trip', () => {
  // Only each protocol number's first layout is what the encoder writes.
  const encodable = GT06_LAYOUTS.filter((layout, index) => GT06_LAYOUTS.findIndex((row) => row.type === layout.type) === index);

  it(`rebuilds ${ITERATIONS} random positions of every location and alarm layout, on any device clock`, () => {
    for (let i = 0; i < ITERATIONS; i++) {
      for (const layout of encodable.filter((row) => row.name !== 'lbsAlarm')) {
        const timeZoneOffsetMinutes = randomInt(random, -12, 14) * 60;
        const serial = randomInt(random, 0, 0xffff);
        const position = randomPosition(layout.fields, digits(15));
        const context = { uniqueId: position.uniqueId, timeZoneOffsetMinutes };
        if (layout.name === 'alarm') {
          const code = position.attributes.alarmCode as number;
          const frame = encodeGt06.alarm(position, code, serial, { type: layout.type, timeZoneOffsetMinutes });
          expect(decodeOne(frame, context)).toEqual({ protocol: 'gt06', type: layout.type, name: 'alarm', serial, lenient: false, alarmCode: code, position });
        } else {
          const frame = encodeGt06.location(position, serial, { type: layout.type, timeZoneOffsetMinutes });
          expect(decodeOne(frame, context)).toEqual({ protocol: 'gt06', type: layout.type, name: 'location', serial, lenient: false, position });
        }
      }
    }
  });

  it('rebuilds random logins, heartbeats, LBS alarms, replies, commands and information', () => {
    const base = (type: number, serial: number) => ({ protocol: 'gt06', type, serial, lenient: false });
    for (let i = 0; i < ITERATIONS; i++) {
      const serial = randomInt(random, 0, 0xffff);
      const imei = digits(15);
      const typeId = randomInt(random, 0, 0xffff);
      const timeZoneOffsetMinutes = randomInt(random, -12 * 60, 12 * 60);
      const timeZoneLowBits = randomInt(random, 0, 7);
      expect(decodeOne(encodeGt06.login(imei, serial), {})).toEqual({ ...base(1, serial), name: 'login', imei, typeId: null });
      expect(decodeOne(encodeGt06.login(imei, serial, { typeId, timeZoneOffsetMinutes, timeZoneLowBits }), {})).toEqual({
        ...base(1, serial),
        name: 'login',
        imei,
        typeId,
        timeZoneOffsetMinutes,
        timeZoneLowBits,
      });

      const status = { terminalInfo: randomInt(random, 0, 255), voltageLevel: randomInt(random, 0, 6), gsmSignal: randomInt(random, 0, 4), language: randomInt(random, 0, 2) };
      expect(decodeOne(encodeGt06.heartbeat(status, serial), {})).toEqual({ ...base(0x13, serial), name: 'heartbeat', ...status });

      const lbsLayout = GT06_LAYOUTS.find((row) => row.type === GT06_TYPES.lbsAlarm)!;
      const { attributes, alarms } = randomPosition(lbsLayout.fields, '');
      const code = attributes.alarmCode as number;
      expect(decodeOne(encodeGt06.lbsAlarm(code, attributes, serial), {})).toEqual({ ...base(0x19, serial), name: 'lbsAlarm', alarmCode: code, alarms, attributes });

      const serverFlag = randomInt(random, 0, 0xffffffff);
      const ascii = randomText(ASCII, 1, 120);
      const chinese = randomText(CHINESE + ASCII, 1, 100);
      expect(decodeOne(encodeGt06.commandReply(serverFlag, ascii, serial), {})).toEqual({ ...base(0x15, serial), name: 'commandReply', serverFlag, text: ascii, encoding: 'ascii' });
      expect(decodeOne(encodeGt06.commandReply(serverFlag, chinese, serial, { utf16: true }), {})).toEqual({ ...base(0x21, serial), name: 'commandReply', serverFlag, text: chinese, encoding: 'utf16be' });
      expect(decodeOne(encodeGt06.command(serverFlag, ascii, serial), {})).toEqual({ ...base(0x80, serial), name: 'serverCommand', serverFlag, command: ascii });
      expect(decodeOne(encodeGt06.command(serverFlag, chinese, serial, { utf16: true }), {})).toEqual({ ...base(0x80, serial), name: 'serverCommand', serverFlag, command: chinese });

      const centivolts = randomInt(random, 0, 0xffff);
      const volts = Buffer.alloc(2);
      volts.writeUInt16BE(centivolts);
      expect(decodeOne(encodeGt06.information(0x00, volts, serial), {})).toMatchObject({ name: 'information', subType: 0, serial, attributes: { externalVoltageV: centivolts / 100 } });
      const flags = randomInt(random, 0, 255);
      expect(decodeOne(encodeGt06.information(0x05, Buffer.of(flags), serial), {})).toMatchObject({ attributes: { door: (flags & 1) === 1, doorFlags: flags } });
      expect(decodeOne(encodeGt06.information(0x04, Buffer.from(ascii, 'latin1'), serial), {})).toMatchObject({ attributes: { statusText: ascii } });
      expect(decodeOne(encodeGt06.timeRequest(serial), {})).toEqual({ ...base(0x8a, serial), name: 'timeRequest' });
    }
  });
});
