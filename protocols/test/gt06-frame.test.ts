import { describe, expect, it } from 'vitest';
import { FrameError, createGt06Splitter, decodeGt06, gt06MessageToJson } from '@urbanlink/protocols';
import { loadGt06Vectors } from './support/gt06-vectors.ts';

const frames = [...loadGt06Vectors('gt06.tsv'), ...loadGt06Vectors('gt06-quirks.tsv')].map((row) => Buffer.from(row.hex, 'hex'));
const stream = Buffer.concat(frames);

/** Pushes the chunks through one splitter and returns each frame's decoded JSON (lenient, so quirks count). */
function run(chunks: Buffer[], maxFrameBytes?: number): { decoded: unknown[]; maxBuffered: number; splitter: ReturnType<typeof createGt06Splitter> } {
  const splitter = createGt06Splitter(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  const decoded: unknown[] = [];
  let maxBuffered = 0;
  for (const chunk of chunks) {
    splitter.push(chunk, (frame) => {
      const message = decodeGt06(frame, { lenient: true });
      decoded.push(message instanceof FrameError ? message.message : gt06MessageToJson(message));
    });
    maxBuffered = Math.max(maxBuffered, splitter.buffered);
  }
  return { decoded, maxBuffered, splitter };
}

describe('createGt06Splitter', () => {
  const whole = run([stream]).decoded;

  it('finds every vector frame, quirks included, in one chunk', () => {
    expect(whole).toHaveLength(frames.length);
    expect(whole.every((entry) => typeof entry === 'object')).toBe(true);
  });

  it('yields the same messages when the stream is split at every offset', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const { decoded, splitter } = run([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(decoded, `cut at ${cut}`).toEqual(whole);
      expect(splitter.buffered).toBe(0);
    }
  });

  it('yields the same messages when each frame is split at every offset and sent back to back', () => {
    for (const frame of frames) {
      for (let cut = 1; cut < frame.length; cut++) {
        const chunks = [frame.subarray(0, cut), Buffer.concat([frame.subarray(cut), frame])];
        const { decoded } = run(chunks);
        expect(decoded).toHaveLength(2);
        expect(decoded[0]).toEqual(decoded[1]);
      }
    }
  });

  it('yields the same messages one byte at a time', () => {
    const bytes = [...stream].map((byte) => Buffer.of(byte));
    expect(run(bytes).decoded).toEqual(whole);
  });

  it('skips and counts garbage between frames, including lone start bytes and a wrong stop', () => {
    const heartbeat = frames[3]!;
    const noise = Buffer.from('00ff7812797878787878', 'hex');
    const badStop = Buffer.from(heartbeat);
    badStop[badStop.length - 1] = 0x0b;
    const { decoded, splitter } = run([Buffer.concat([noise, heartbeat, badStop, heartbeat])]);
    expect(decoded).toHaveLength(2);
    expect(splitter.stats.frames).toBe(2);
    expect(splitter.stats.garbageBytes).toBe(noise.length + badStop.length);
  });

  it('drops a frame longer than the cap without holding its bytes', () => {
    const oversized = Buffer.concat([Buffer.from('79790400', 'hex'), Buffer.alloc(1100, 0x11)]);
    const { decoded, maxBuffered, splitter } = run([oversized, frames[0]!], 512);
    expect(decoded).toHaveLength(1);
    expect(splitter.stats.oversizedFrames).toBe(1);
    expect(maxBuffered).toBeLessThanOrEqual(512);
  });

  it('holds at most one frame of tail, and nothing after reset', () => {
    const partial = Buffer.concat([Buffer.from('797901f0', 'hex'), Buffer.alloc(300, 0x22)]);
    const splitter = createGt06Splitter({ maxFrameBytes: 512 });
    splitter.push(partial, () => {});
    expect(splitter.buffered).toBe(partial.length);
    splitter.reset();
    expect(splitter.buffered).toBe(0);
    splitter.push(frames[0]!, () => {});
    expect(splitter.stats.frames).toBe(1);
  });

  it('refuses a cap too small for any frame', () => {
    expect(() => createGt06Splitter({ maxFrameBytes: 8 })).toThrow('maxFrameBytes must be an integer of at least 16, got 8');
  });
});
