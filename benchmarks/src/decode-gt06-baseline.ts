// The package's ESM entry ships no .d.mts, so TypeScript finds types only beside the CommonJS build.
import { Parser } from 'binary-parser/dist/binary_parser.js';
import { crc16X25, type Position } from '@urbanlink/protocols';

// The baseline: the same GT06 0x12 frame (GPS + LBS) declared with binary-parser, behind a plain
// length-walking splitter that checks markers and CRC, building the same Position.
const location = new Parser()
  .uint16be('start')
  .uint8('length')
  .uint8('type')
  .buffer('time', { length: 6 })
  .uint8('satellites')
  .uint32be('lat')
  .uint32be('lon')
  .uint8('speed')
  .uint16be('courseStatus')
  .uint16be('mcc')
  .uint8('mnc')
  .uint16be('lac')
  .uint8('cellHigh')
  .uint16be('cellLow')
  .uint16be('serial')
  .uint16be('crc')
  .uint16be('stop');

interface Parsed {
  time: Buffer;
  satellites: number;
  lat: number;
  lon: number;
  speed: number;
  courseStatus: number;
  mcc: number;
  mnc: number;
  lac: number;
  cellHigh: number;
  cellLow: number;
}

const SCALE = 1_800_000;

function toPosition(p: Parsed): Position {
  const t = p.time;
  const status = p.courseStatus;
  return {
    uniqueId: '',
    fixTimeMs: Date.UTC(2000 + t[0]!, t[1]! - 1, t[2]!, t[3]!, t[4]!, t[5]!),
    lat: status & 0x0400 ? p.lat / SCALE : -p.lat / SCALE,
    lon: status & 0x0800 ? -p.lon / SCALE : p.lon / SCALE,
    altitudeM: 0,
    speedKmh: p.speed,
    course: status & 0x03ff,
    valid: (status & 0x1000) !== 0,
    satellites: p.satellites & 0x0f,
    ignition: status & 0x4000 ? (status & 0x8000) !== 0 : null,
    odometerKm: null,
    fuelL: null,
    alarms: [],
    attributes: { mcc: p.mcc, mnc: p.mnc, lac: p.lac, cellId: p.cellHigh * 0x10000 + p.cellLow },
  };
}

/** Splits, checks and parses every 0x12 frame in `chunk`; returns the positions' count. */
export function decodeGt06WithBinaryParser(chunk: Buffer, onPosition: (position: Position) => void): number {
  let count = 0;
  let at = 0;
  while (at + 5 <= chunk.length) {
    if (chunk[at] !== 0x78 || chunk[at + 1] !== 0x78) {
      at++;
      continue;
    }
    const end = at + chunk[at + 2]! + 5;
    if (end > chunk.length) break;
    const frame = chunk.subarray(at, end);
    if (frame[frame.length - 2] === 0x0d && crc16X25(frame, 2, frame.length - 4) === frame.readUInt16BE(frame.length - 4)) {
      onPosition(toPosition(location.parse(frame) as Parsed));
      count++;
    }
    at = end;
  }
  return count;
}
