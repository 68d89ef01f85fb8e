import type { FrameSplitter, SplitterStats } from '../frame-splitter.ts';
import { ESCAPE_BYTE, FRAME_MARKER, MAX_CONTENT_LENGTH } from './constants.ts';

const ESCAPED_ESCAPE = 0x01;
const ESCAPED_MARKER = 0x02;
const APPENDED = 0;
const OVERSIZED = 1;
const BAD_ESCAPE = 2;

/**
 * §4.4.1 framing: content between 0x7E markers, with 0x7D 0x01 → 0x7D and 0x7D 0x02 → 0x7E. Emits the
 * unescaped content (header, body, check byte). A frame that arrives whole and unescaped in one chunk is
 * handed over as a view of the chunk without copying; anything else is unescaped into one buffer of
 * `maxFrameBytes`, so buffering never exceeds that. Bytes outside markers are skipped and counted;
 * a frame with a bad escape or over the cap is dropped and the stream resumes at the next marker.
 */
class Jt808Splitter implements FrameSplitter {
  readonly stats: SplitterStats = { frames: 0, garbageBytes: 0, oversizedFrames: 0 };
  private readonly maxFrameBytes: number;
  private readonly pending: Buffer;
  private length = 0;
  private inFrame = false;
  private escaped = false;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
    this.pending = Buffer.allocUnsafe(maxFrameBytes);
  }

  get buffered(): number {
    return this.length + (this.escaped ? 1 : 0);
  }

  reset(): void {
    this.length = 0;
    this.inFrame = false;
    this.escaped = false;
  }

  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    const size = chunk.length;
    let at = 0;
    // The next 0x7D at or after `at` (-1: none left), found once per chunk rather than once per frame.
    let nextEscape = chunk.indexOf(ESCAPE_BYTE);
    while (at < size) {
      if (!this.inFrame) {
        const start = chunk[at] === FRAME_MARKER ? at : chunk.indexOf(FRAME_MARKER, at);
        if (start < 0) {
          this.stats.garbageBytes += size - at;
          return;
        }
        this.stats.garbageBytes += start - at;
        this.inFrame = true;
        at = start + 1;
        continue;
      }
      const stop = chunk.indexOf(FRAME_MARKER, at);
      const end = stop < 0 ? size : stop;
      if (stop > at && this.length === 0 && !this.escaped && end - at <= this.maxFrameBytes) {
        if (nextEscape >= 0 && nextEscape < at) nextEscape = chunk.indexOf(ESCAPE_BYTE, at);
        if (nextEscape < 0 || nextEscape >= end) {
          this.emit(chunk.subarray(at, end), onFrame);
          at = end + 1;
          continue;
        }
      }
      const outcome = this.append(chunk, at, end);
      if (outcome !== APPENDED) {
        this.drop(outcome);
        at = end;
        continue;
      }
      if (stop < 0) return;
      at = stop + 1;
      // A marker right after a marker opens the next frame (7E 7E between frames); an escape before a marker is broken.
      if (this.escaped) this.drop(BAD_ESCAPE);
      else if (this.length > 0) this.emit(this.pending.subarray(0, this.length), onFrame);
    }
  }

  private emit(frame: Buffer, onFrame: (frame: Buffer) => void): void {
    this.length = 0;
    this.inFrame = false;
    this.stats.frames++;
    onFrame(frame);
  }

  private drop(reason: number): void {
    if (reason === OVERSIZED) this.stats.oversizedFrames++;
    else this.stats.garbageBytes += this.length + 2;
    this.reset();
  }

  private append(chunk: Buffer, from: number, to: number): number {
    const pending = this.pending;
    const max = this.maxFrameBytes;
    let length = this.length;
    let escaped = this.escaped;
    let outcome = APPENDED;
    for (let i = from; i < to; i++) {
      let byte = chunk[i]!;
      if (escaped) {
        escaped = false;
        if (byte === ESCAPED_ESCAPE) byte = ESCAPE_BYTE;
        else if (byte === ESCAPED_MARKER) byte = FRAME_MARKER;
        else {
          outcome = BAD_ESCAPE;
          break;
        }
      } else if (byte === ESCAPE_BYTE) {
        escaped = true;
        continue;
      }
      if (length === max) {
        outcome = OVERSIZED;
        break;
      }
      pending[length++] = byte;
    }
    this.length = length;
    this.escaped = escaped;
    return outcome;
  }
}

/** A JT/T 808 stream splitter; `maxFrameBytes` caps the unescaped content (default: the largest legal frame). */
export function createJt808Splitter(options?: { maxFrameBytes?: number }): FrameSplitter {
  return new Jt808Splitter(options?.maxFrameBytes ?? MAX_CONTENT_LENGTH);
}
