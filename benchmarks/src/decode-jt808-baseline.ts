// The package's ESM entry ships no .d.mts, so TypeScript finds types only beside the CommonJS build.
import { Parser } from 'binary-parser/dist/binary_parser.js';
import type { Position } from '@urbanlink/protocols';

// The baseline: the same JT/T 808 0x0200 layout (2013 header, base block, items) declared with binary-parser,
// behind a plain indexOf splitter that always copies while unescaping, building the same Position.
const item = new Parser().uint8('id').uint8('length').buffer('value', { length: 'length' });
const location = new Parser()
  .uint16be('id')
  .uint16be('attribute')
  .buffer('phone', { length: 6 })
  .uint16be('serial')
  .uint32be('alarm')
  .uint32be('status')
  .uint32be('lat')
  .uint32be('lon')
  .int16be('altitude')
  .uint16be('speed')
  .uint16be('course')
  .buffer('time', { length: 6 })
  .array('items', { type: item, readUntil: 'eof' });

interface Parsed {
  phone: Buffer;
  alarm: number;
  status: number;
  lat: number;
  lon: number;
  altitude: number;
  speed: number;
  course: number;
  time: Buffer;
  items: { id: number; length: number; value: Buffer }[];
}

const ITEM_KEYS: Record<number, string> = { 0x01: 'mileageKm', 0x02: 'fuelL', 0x03: 'recorderSpeedKmh', 0x04: 'alarmEventId', 0x25: 'extendedStatus', 0x2a: 'io', 0x30: 'rssi', 0x31: 'satellites' };
const scratch = Buffer.allocUnsafe(2048);

function bcd(byte: number): number {
  return (byte >> 4) * 10 + (byte & 15);
}

function toPosition(p: Parsed): Position {
  const attributes: Record<string, unknown> = { alarm: p.alarm, status: p.status };
  for (const { id, length, value } of p.items) {
    const key = ITEM_KEYS[id];
    if (key && length <= 4) attributes[key] = id <= 3 ? value.readUIntBE(0, length) / 10 : value.readUIntBE(0, length);
    else attributes[`item0x${id.toString(16)}`] = value.toString('hex');
  }
  const t = p.time;
  return {
    uniqueId: p.phone.toString('hex').replace(/^0+/, ''),
    fixTimeMs: Date.UTC(2000 + bcd(t[0]!), bcd(t[1]!) - 1, bcd(t[2]!), bcd(t[3]!), bcd(t[4]!), bcd(t[5]!)) - 480 * 60_000,
    lat: (p.status & 4 ? -p.lat : p.lat) / 1e6,
    lon: (p.status & 8 ? -p.lon : p.lon) / 1e6,
    altitudeM: p.altitude,
    speedKmh: p.speed / 10,
    course: p.course,
    valid: (p.status & 2) !== 0,
    satellites: (attributes.satellites as number | undefined) ?? null,
    ignition: (p.status & 1) !== 0,
    odometerKm: (attributes.mileageKm as number | undefined) ?? null,
    fuelL: (attributes.fuelL as number | undefined) ?? null,
    alarms: p.alarm & 1 ? ['sos'] : [],
    attributes,
  };
}

/** Splits, unescapes, checks and parses every frame in `chunk`; returns the positions' count. */
export function decodeWithBinaryParser(chunk: Buffer, onPosition: (position: Position) => void): number {
  let count = 0;
  let at = chunk.indexOf(0x7e);
  while (at >= 0) {
    const end = chunk.indexOf(0x7e, at + 1);
    if (end < 0) break;
    let length = 0;
    let check = 0;
    for (let i = at + 1; i < end; i++) {
      let byte = chunk[i]!;
      if (byte === 0x7d) byte = chunk[++i] === 0x02 ? 0x7e : 0x7d;
      scratch[length++] = byte;
    }
    for (let i = 0; i < length - 1; i++) check ^= scratch[i]!;
    if (length > 1 && check === scratch[length - 1]) {
      onPosition(toPosition(location.parse(scratch.subarray(0, length - 1)) as Parsed));
      count++;
    }
    at = chunk.indexOf(0x7e, end + 1);
  }
  return count;
}
