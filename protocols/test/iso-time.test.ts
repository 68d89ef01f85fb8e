import { describe, expect, it } from 'vitest';
import { isoTime } from '@urbanlink/protocols';
import { seededRandom } from './support/seeded-random.ts';

describe('isoTime', () => {
  it('writes what Date#toISOString writes, at the edges of days, years and the four-digit range', () => {
    const edges = [
      0, -1, 1, 999, 1_000, -0.5, 0.9, 1.5, -1.5, 86_399_999, 86_400_000, -86_400_000,
      Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2024, 1, 29, 12),
      Date.UTC(0, 0, 1), Date.UTC(0, 0, 1) - 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1,
      8.64e15, -8.64e15,
    ];
    for (const ms of edges) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with Date over random times, alternating days as a batch of several devices does', () => {
    const random = seededRandom(808);
    for (let i = 0; i < 20_000; i++) {
      const ms = (random() - 0.3) * 4e12 + (i % 3) * 86_400_000;
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('throws on a time that is not one, as Date does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
