import { describe, expect, it } from 'vitest';
import { readCommonItem } from '../src/jt808/common-items.ts';
import { readItem } from '../src/jt808/items.ts';
import { COMPILED_ITEMS } from '../src/jt808/layouts.ts';
import { random } from './support/jt808-frames.ts';

// The hand-written readers for common items repeat what the item table says; the table is the definition.
// Every id and length, over random bytes and the edge values, must read the same through both.
const MAX_LENGTH = 12;
const SAMPLES = 40;
const EDGES = [0x00, 0x7f, 0x80, 0xff];
// The ids a patrol car sends with every fix (the decode benchmark's dozen): these must take the fast path.
const COMMON_IDS = [0x01, 0x02, 0x03, 0x04, 0x11, 0x12, 0x25, 0x2a, 0x2b, 0x30, 0x31];

function samples(length: number, next: () => number): Buffer[] {
  const out = EDGES.map((byte) => Buffer.alloc(length, byte));
  for (let i = 0; i < SAMPLES; i++) out.push(Buffer.from(Array.from({ length }, () => Math.floor(next() * 256))));
  return out;
}

describe('jt808 common item readers', () => {
  it('read exactly what the item table reads, for every id and length', () => {
    const next = random(21);
    let compared = 0;
    for (let id = 0; id < 256; id++) {
      for (let length = 0; length <= MAX_LENGTH; length++) {
        for (const bytes of samples(length, next)) {
          // Placed after two bytes so that offsets are exercised, as in a frame.
          const buffer = Buffer.concat([Buffer.from([0xaa, 0xbb]), bytes]);
          const fast = readCommonItem(buffer, 2, id, length);
          if (fast === undefined) continue;
          const item = COMPILED_ITEMS[id];
          expect(item, `0x${id.toString(16)} has a fast reader but no table row`).toBeDefined();
          const table = readItem(buffer, 2, item!, length);
          expect(fast).toStrictEqual(table);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(table));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('cover the common items at their table lengths, and leave other lengths to the table', () => {
    for (const id of COMMON_IDS) {
      const item = COMPILED_ITEMS[id]!;
      for (let length = 0; length <= MAX_LENGTH; length++) {
        const fits = length === item.fullLength || length === item.minLength;
        expect(readCommonItem(Buffer.alloc(length), 0, id, length) !== undefined, `0x${id.toString(16)} length ${length}`).toBe(fits);
      }
    }
  });
});
