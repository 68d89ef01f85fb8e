import { describe, expect, it } from 'vitest';
import { FrameError, createGt06Splitter, decodeGt06, gt06MessageToJson } from '@urbanlink/protocols';
import { randomInt, seededRandom } from './support/gt06-frames.ts';
import { loadGt06Vectors } from './support/gt06-vectors.ts';

// A few seconds in the normal suite; FUZZ_ITERATIONS=1000000 for a deep run.
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 4000);
const MAX_FRAME_BYTES = 256;
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed);
const random = seededRandom(seed);
const frames = [...loadGt06Vectors('gt06.tsv'), ...loadGt06Vectors('gt06-quirks.tsv')].map((row) => Buffer.from(row.hex, 'hex'));
// Bytes that steer the splitter into its branches more often than uniform noise would.
const INTERESTING = [0x78, 0x79, 0x0d, 0x0a, 0x00, 0xff, 0x05, 0x12];

function randomBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    bytes[i] = random() < 0.3 ? INTERESTING[randomInt(random, 0, INTERESTING.length - 1)]! : randomInt(random, 0, 255);
  }
  return bytes;
}

/** Real frames back to back, then flipped, dropped, inserted and duplicated bytes. */
function mutatedStream(): Buffer {
  const parts: Buffer[] = [];
  for (let i = randomInt(random, 1, 6); i > 0; i--) parts.push(frames[randomInt(random, 0, frames.length - 1)]!);
  const bytes = [...Buffer.concat(parts)];
  for (let i = randomInt(random, 0, 4); i > 0; i--) {
    const at = randomInt(random, 0, bytes.length - 1);
    const action = randomInt(random, 0, 3);
    if (action === 0) bytes[at] = randomInt(random, 0, 255);
    else if (action === 1) bytes.splice(at, 1);
    else if (action === 2) bytes.splice(at, 0, ...randomBytes(randomInt(random, 1, 8)));
    else bytes.splice(at, 0, ...bytes.slice(at, at + randomInt(random, 1, 20)));
  }
  return Buffer.from(bytes);
}

function chunksOf(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = randomInt(random, 1, 64);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe(`GT06 fuzz (seed ${seed}, ${ITERATIONS} streams)`, () => {
  it('never throws, never holds more than one frame, and decodes or refuses every frame', () => {
    const splitter = createGt06Splitter({ maxFrameBytes: MAX_FRAME_BYTES });
    let decoded = 0;
    let refused = 0;
    let pushed = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const stream = i % 2 === 0 ? randomBytes(randomInt(random, 0, 400)) : mutatedStream();
      pushed += stream.length;
      for (const chunk of chunksOf(stream)) {
        splitter.push(chunk, (frame) => {
          expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
          for (const lenient of [false, true]) {
            const result = decodeGt06(frame, { lenient });
            if (result instanceof FrameError) refused++;
            else {
              decoded++;
              expect(result.protocol).toBe('gt06');
              JSON.stringify(gt06MessageToJson(result));
            }
          }
        });
        expect(splitter.buffered).toBeLessThanOrEqual(MAX_FRAME_BYTES);
      }
    }
    const { frames: found, garbageBytes } = splitter.stats;
    // Mutated streams keep most of their frames; noise yields garbage. Both paths must have run.
    expect(decoded).toBeGreaterThan(ITERATIONS / 2);
    expect(refused).toBeGreaterThan(0);
    expect(found).toBeGreaterThan(ITERATIONS / 2);
    expect(garbageBytes).toBeGreaterThan(0);
    expect(garbageBytes).toBeLessThanOrEqual(pushed);
  });

  it('does not hold a real frame back behind a stray start marker that claims a long frame', () => {
    const splitter = createGt06Splitter({ maxFrameBytes: MAX_FRAME_BYTES });
    const decodedTypes: number[] = [];
    splitter.push(Buffer.concat([Buffer.from('7878ff', 'hex'), frames[3]!]), (frame) => {
      const result = decodeGt06(frame);
      if (!(result instanceof FrameError)) decodedTypes.push(result.type);
    });
    expect(decodedTypes).toEqual([0x13]);
    expect(splitter.stats.garbageBytes).toBe(3);
    expect(splitter.buffered).toBe(0);
  });
});
