import { describe, expect, it } from 'vitest';
import { AsciiBuffer } from '../src/track/ascii-buffer.ts';
import { createIsoWriter } from '../src/track/iso-time.ts';

describe('createIsoWriter', () => {
  it('writes what Date#toISOString writes, across minutes, days, years and odd times', () => {
    const writeIso = createIsoWriter();
    const out = new AsciiBuffer(16);
    const times = [0, 1, 999, 59_999, 60_000, -1, -60_001, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), 8.64e15, -8.64e15, 1234.5];
    let t = Date.UTC(2026, 10, 28, 23, 58, 30, 7);
    for (let i = 0; i < 200; i++) times.push((t += 997));
    for (const ms of times) {
      out.end = writeIso(out.room(27), out.end, ms);
      expect(out.take().toString('latin1')).toBe(new Date(Math.round(ms)).toISOString());
    }
  });
});
