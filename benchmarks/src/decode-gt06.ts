import { createGt06Splitter, decodeGt06, encodeGt06, type Position } from '@urbanlink/protocols';
import { measure, type BenchRow } from './bench-harness.ts';
import { decodeGt06WithBinaryParser } from './decode-gt06-baseline.ts';

const FRAMES_PER_CHUNK = 16;
const FIX = Date.parse('2026-05-01T08:00:00Z');
const CONTEXT = { uniqueId: '864717003283581', timeZoneOffsetMinutes: 0 };

function patrolCar(i: number, attributes: Record<string, unknown>): Position {
  return {
    uniqueId: '',
    fixTimeMs: FIX + i * 10_000,
    lat: 30.657 + i * 1e-4,
    lon: 104.066 - i * 1e-4,
    altitudeM: 0,
    speedKmh: 42,
    course: 90 + i,
    valid: true,
    satellites: 9,
    ignition: null,
    odometerKm: null,
    fuelL: null,
    alarms: [],
    attributes,
  };
}

const cell = { mcc: 460, mnc: 0, lac: 0x287d, cellId: 0x1fb8 };
const location12 = Buffer.concat(Array.from({ length: FRAMES_PER_CHUNK }, (_, i) => encodeGt06.location(patrolCar(i, cell), i + 1)));
const location22 = Buffer.concat(
  Array.from({ length: FRAMES_PER_CHUNK }, (_, i) =>
    encodeGt06.location(patrolCar(i, { ...cell, acc: 1, uploadMode: 0, reupload: 0 }), i + 1, { type: 0x22 }),
  ),
);

// Ingest keeps every position until its batch is written; so does this ring. A position read once and
// dropped would let V8 skip building it, which no consumer does.
const kept: Position[] = new Array<Position>(64);
let keptCount = 0;
const keep = (position: Position): void => {
  kept[keptCount++ & 63] = position;
};

/** Splitter + decoder to the normalised Position, as ingest runs them. */
function urbanlink(): (chunk: Buffer) => number {
  const splitter = createGt06Splitter();
  return (chunk) => {
    let count = 0;
    splitter.push(chunk, (frame) => {
      const message = decodeGt06(frame, CONTEXT);
      if (!(message instanceof Error) && message.name === 'location') {
        keep(message.position);
        count++;
      }
    });
    return count;
  };
}

export function benchGt06(): BenchRow[] {
  const rows: BenchRow[] = [
    measure('gt06 0x12 location', 'urbanlink', location12, urbanlink()),
    measure('gt06 0x12 location', 'binary-parser', location12, (chunk) => decodeGt06WithBinaryParser(chunk, keep)),
    measure('gt06 0x22 location (ACC)', 'urbanlink', location22, urbanlink()),
  ];
  return rows;
}
