import { createJt808Splitter, decodeJt808, encodeJt808, type Jt808LocationFields, type Position } from '@urbanlink/protocols';
import { measure, type BenchRow } from './bench-harness.ts';
import { decodeWithBinaryParser } from './decode-jt808-baseline.ts';

const TARGET = { phone: '013912345678', version: 2013 } as const;
const FRAMES_PER_CHUNK = 16;
const FIX = Date.parse('2026-05-01T08:00:00Z');

/** A dozen additional items: the standard ones a city patrol car's terminal sends, plus one vendor item. */
const ITEMS: Jt808LocationFields['items'] = [
  { id: 0x01, value: 12345.6 },
  { id: 0x02, value: 45.2 },
  { id: 0x03, value: 52.3 },
  { id: 0x04, value: 3 },
  { id: 0x11, value: Buffer.from([0]) },
  { id: 0x12, value: Buffer.from([1, 0, 0, 0, 9, 0]) },
  { id: 0x25, value: 0x11 },
  { id: 0x2a, value: 0x0003 },
  { id: 0x2b, value: Buffer.from([0, 100, 0, 50]) },
  { id: 0x30, value: 28 },
  { id: 0x31, value: 12 },
  { id: 0xe1, value: Buffer.from([1, 2, 3, 4]) },
];

function chunkOf(location: Jt808LocationFields): Buffer {
  return Buffer.concat(Array.from({ length: FRAMES_PER_CHUNK }, (_, i) => encodeJt808.location(TARGET, location, i + 1)));
}

const plain = chunkOf({ alarm: 0, status: 0x000c0003, lat: 30.657, lon: 104.066, altitudeM: 500, speedKmh: 42.5, course: 90, fixTimeMs: FIX, items: ITEMS });
// 0x7E and 0x7D inside the latitude, speed and an item: every frame takes the unescaping path.
const escaped = chunkOf({ alarm: 1, status: 3, lat: 8.289918, lon: 104.066, speedKmh: 3212.5, course: 125, fixTimeMs: FIX, items: [{ id: 0x01, value: 3225.3 }, ...ITEMS.slice(1)] });

// Ingest keeps every position until its batch is written; so does this ring. A position read once and
// dropped would let V8 skip building it, which no consumer does.
const kept: Position[] = new Array<Position>(64);
let keptCount = 0;
const keep = (position: Position): void => {
  kept[keptCount++ & 63] = position;
};

function urbanlink(): (chunk: Buffer) => number {
  const splitter = createJt808Splitter();
  return (chunk) => {
    let count = 0;
    splitter.push(chunk, (frame) => {
      const message = decodeJt808(frame);
      if (!(message instanceof Error) && message.name === 'location') {
        keep(message.position);
        count++;
      }
    });
    return count;
  };
}

/** Both implementations must read the same position before their speed means anything. */
function checkSame(chunk: Buffer): void {
  const ours: Position[] = [];
  const theirs: Position[] = [];
  createJt808Splitter().push(chunk, (frame) => {
    const message = decodeJt808(frame);
    if (!(message instanceof Error) && message.name === 'location') ours.push(message.position);
  });
  decodeWithBinaryParser(chunk, (position) => theirs.push(position));
  const key = (p: Position | undefined) => p && [p.lat, p.lon, p.speedKmh, p.fixTimeMs, p.odometerKm, p.fuelL, p.satellites].join();
  if (ours.length !== FRAMES_PER_CHUNK || theirs.length !== FRAMES_PER_CHUNK || key(ours[0]) !== key(theirs[0])) {
    throw new Error(`implementations disagree: ${key(ours[0])} vs ${key(theirs[0])}`);
  }
}

export function benchJt808(): BenchRow[] {
  if (!escaped.includes(0x7d)) throw new Error('the escaped case lost its escapes');
  checkSame(plain);
  checkSame(escaped);
  const rows: BenchRow[] = [];
  for (const [name, chunk] of [
    ['jt808 0x0200 + 12 items', plain],
    ['jt808 0x0200 escaped', escaped],
  ] as const) {
    rows.push(measure(name, 'urbanlink', chunk, urbanlink()));
    rows.push(measure(name, 'binary-parser', chunk, (c) => decodeWithBinaryParser(c, keep)));
  }
  return rows;
}
