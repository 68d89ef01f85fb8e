import { describe, expect, it } from 'vitest';
import { createJt808Splitter } from '@urbanlink/protocols';
import { loadJt808Vectors } from './support/jt808-vectors.ts';

const frames = loadJt808Vectors().map((v) => Buffer.from(v.hex, 'hex'));

/** The unescaped content a frame must come out as: markers removed, 7D 02 → 7E, 7D 01 → 7D. */
function content(wire: Buffer): string {
  return wire.subarray(1, -1).toString('hex').replace(/7d02/g, '7e').replace(/7d01/g, '7d');
}

function collect(chunks: Buffer[], maxFrameBytes?: number) {
  const splitter = createJt808Splitter(maxFrameBytes === undefined ? undefined : { maxFrameBytes });
  const out: string[] = [];
  for (const chunk of chunks) splitter.push(chunk, (frame) => out.push(frame.toString('hex')));
  return { out, splitter };
}

describe('jt808 splitter', () => {
  it('emits each vector frame unescaped, split at every offset', () => {
    for (const wire of frames) {
      for (let cut = 0; cut <= wire.length; cut++) {
        const { out, splitter } = collect([wire.subarray(0, cut), wire.subarray(cut)]);
        expect(out, `cut at ${cut} of ${wire.toString('hex')}`).toEqual([content(wire)]);
        expect(splitter.buffered).toBe(0);
      }
    }
  });

  it('emits all frames sent back to back, in one chunk and byte by byte', () => {
    const stream = Buffer.concat(frames);
    const expected = frames.map(content);
    expect(collect([stream]).out).toEqual(expected);
    const bytes = [...stream].map((b) => Buffer.from([b]));
    const { out, splitter } = collect(bytes);
    expect(out).toEqual(expected);
    expect(splitter.stats).toEqual({ frames: frames.length, garbageBytes: 0, oversizedFrames: 0 });
  });

  it('skips and counts garbage between frames, and ignores empty 7E 7E pairs', () => {
    const wire = frames[1]!;
    const { out, splitter } = collect([Buffer.from('0102', 'hex'), wire, Buffer.from('7e7e', 'hex'), wire]);
    expect(out).toEqual([content(wire), content(wire)]);
    expect(splitter.stats.garbageBytes).toBe(2);
  });

  it('resynchronises when a stream starts in the middle of a frame', () => {
    const wire = frames[0]!;
    const { out } = collect([wire.subarray(10), wire, wire]);
    expect(out.slice(-2)).toEqual([content(wire), content(wire)]);
  });

  it('drops a frame with a bad escape and keeps the next one', () => {
    const bad = Buffer.from('7e00027d0312347e', 'hex');
    const { out, splitter } = collect([bad, frames[2]!]);
    expect(out).toEqual([content(frames[2]!)]);
    expect(splitter.stats.garbageBytes).toBeGreaterThan(0);
  });

  it('caps buffering at maxFrameBytes and counts the oversized frame', () => {
    const splitter = createJt808Splitter({ maxFrameBytes: 64 });
    const out: Buffer[] = [];
    splitter.push(Buffer.from([0x7e]), (f) => out.push(f));
    for (let i = 0; i < 100; i++) {
      splitter.push(Buffer.alloc(10, 0x11), (f) => out.push(f));
      expect(splitter.buffered).toBeLessThanOrEqual(64);
    }
    splitter.push(frames[1]!, (f) => out.push(Buffer.from(f)));
    expect(splitter.stats.oversizedFrames).toBe(1);
    expect(out.map((f) => f.toString('hex'))).toEqual([content(frames[1]!)]);
  });

  it('reset forgets a partial frame', () => {
    const splitter = createJt808Splitter();
    splitter.push(frames[0]!.subarray(0, 20), () => {});
    expect(splitter.buffered).toBeGreaterThan(0);
    splitter.reset();
    expect(splitter.buffered).toBe(0);
  });
});
