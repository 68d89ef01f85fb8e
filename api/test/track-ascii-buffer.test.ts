import { describe, expect, it } from 'vitest';
import { AsciiBuffer, asciiBytes, putDigits } from '../src/track/ascii-buffer.ts';

describe('AsciiBuffer', () => {
  it('writes every number as String() does: micro-degrees, float4 speeds, integers, signs and the odd ones', () => {
    const values = [0, -0, 1, -1, 9, 10, 22.5, -114.25, 0.000001, -0.000001, 5e-7, 1e-7, 0.1 + 0.2, 123456789.123, 999_999_999.999999, 1e9, -1e9, 1e21, 2 ** 53, NaN, Infinity, -Infinity];
    for (const float of [44.8327, 20.066668, 0.1, 119.9, 3000.5]) values.push(float, Math.fround(float), Number(Math.fround(float).toPrecision(7)));
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 5_000; i++) {
      values.push(Math.round((random() - 0.5) * 360e6) / 1e6, Math.round(random() * 1e5) / 100, (random() - 0.5) * 10 ** Math.floor(random() * 12));
    }
    const out = new AsciiBuffer(8);
    for (const value of values) {
      out.number(value);
      expect(out.take().toString('latin1')).toBe(String(value));
    }
  });

  it('grows past its capacity and hands over only what was written since the last take', () => {
    const out = new AsciiBuffer(64);
    const field = asciiBytes('{"a":');
    for (let i = 0; i < 100; i++) {
      out.bytes(field);
      out.end = putDigits(out.room(3), out.end, i, 3);
      out.byte(125);
    }
    const first = out.take().toString('latin1');
    expect(first).toHaveLength(100 * 9);
    expect(first.slice(0, 18)).toBe('{"a":000}{"a":001}');
    out.byte(120);
    expect(out.take().toString('latin1')).toBe('x');
    expect(out.take()).toHaveLength(0);
  });
});
