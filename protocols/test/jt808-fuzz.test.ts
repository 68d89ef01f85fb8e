import { describe, expect, it } from 'vitest';
import { FrameError, createJt808Splitter, decodeJt808 } from '@urbanlink/protocols';
import { random } from './support/jt808-frames.ts';
import { loadJt808Vectors } from './support/jt808-vectors.ts';

// A few seconds in the normal suite; FUZZ_ITERATIONS=1000000 for a long run.
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 20_000);
const MAX_FRAME = 256;
// Long runs scale their own timeout (about 0.5 ms an iteration on a busy CI core).
const TIMEOUT_MS = Math.max(30_000, ITERATIONS / 2);
const frames = loadJt808Vectors().map((v) => Buffer.from(v.hex, 'hex'));

/** Every emitted frame must decode to a message or a FrameError: nothing else may escape. */
function feed(splitter: ReturnType<typeof createJt808Splitter>, chunk: Buffer, lenient: boolean): void {
  splitter.push(chunk, (frame) => {
    expect(frame.length).toBeLessThanOrEqual(MAX_FRAME);
    const result = decodeJt808(frame, { lenient });
    if (result instanceof Error) expect(result).toBeInstanceOf(FrameError);
    else expect(result.protocol).toBe('jt808');
  });
  expect(splitter.buffered).toBeLessThanOrEqual(MAX_FRAME);
}

describe('jt808 fuzz: splitter + decoder never throw, stall or grow', () => {
  it('random bytes, biased towards markers and escapes', () => {
    const next = random(11);
    const splitter = createJt808Splitter({ maxFrameBytes: MAX_FRAME });
    for (let i = 0; i < ITERATIONS; i++) {
      const chunk = Buffer.alloc(1 + Math.floor(next() * 64));
      for (let j = 0; j < chunk.length; j++) {
        const roll = next();
        chunk[j] = roll < 0.05 ? 0x7e : roll < 0.1 ? 0x7d : roll < 0.15 ? 1 + Math.floor(next() * 2) : Math.floor(next() * 256);
      }
      feed(splitter, chunk, i % 2 === 0);
    }
    expect(splitter.stats.frames).toBeGreaterThan(0);
  }, TIMEOUT_MS);

  it('mutated real frames: flipped, inserted, deleted bytes, cut at random points', () => {
    const next = random(12);
    const splitter = createJt808Splitter({ maxFrameBytes: MAX_FRAME });
    let decoded = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const bytes = [...frames[Math.floor(next() * frames.length)]!];
      for (let m = Math.floor(next() * 4); m > 0; m--) {
        const at = Math.floor(next() * bytes.length);
        const roll = next();
        if (roll < 0.4) bytes[at] = Math.floor(next() * 256);
        else if (roll < 0.7) bytes.splice(at, 0, Math.floor(next() * 256));
        else bytes.splice(at, 1);
      }
      const wire = Buffer.from(bytes);
      const cut = Math.floor(next() * wire.length);
      feed(splitter, wire.subarray(0, cut), false);
      feed(splitter, wire.subarray(cut), false);
      // Content mutated after unescaping reaches every decoder branch, checksum fixed up so it gets past the check.
      const content = Buffer.from(wire.subarray(1, -1));
      if (content.length > 1) {
        content[Math.floor(next() * (content.length - 1))] = Math.floor(next() * 256);
        let check = 0;
        for (let j = 0; j < content.length - 1; j++) check ^= content[j]!;
        content[content.length - 1] = check;
        const result = decodeJt808(content, { lenient: next() < 0.5 });
        if (!(result instanceof FrameError)) decoded++;
      }
    }
    expect(decoded).toBeGreaterThan(0);
    expect(splitter.stats.frames).toBeGreaterThan(ITERATIONS / 2);
  }, TIMEOUT_MS);
});
