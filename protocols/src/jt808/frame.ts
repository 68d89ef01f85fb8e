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
    let length = this.length;
    let at = from;
    let outcome = APPENDED;
    if (this.escaped && at < to) {
      // The chunk before ended inside an escape.
      this.escaped = false;
      const code = chunk[at++]!;
      if (code !== ESCAPED_ESCAPE && code !== ESCAPED_MARKER) outcome = BAD_ESCAPE;
      else if (length === this.maxFrameBytes) outcome = OVERSIZED;
      else pending[length++] = code === ESCAPED_ESCAPE ? ESCAPE_BYTE : FRAME_MARKER;
    }
    while (outcome === APPENDED && at < to) {
      // Unescaping never lengthens, so `room` raw bytes cannot overflow: no capacity check per byte.
      const room = this.maxFrameBytes - length;
      if (room === 0) {
        outcome = this.atCap(chunk, at, to);
        break;
      }
      const stop = Math.min(to, at + room);
      while (at < stop) {
        const byte = chunk[at++]!;
        if (byte !== ESCAPE_BYTE) {
          pending[length++] = byte;
          continue;
        }
        if (at === to) {
          this.escaped = true;
          break;
        }
        const code = chunk[at++]!;
        if (code === ESCAPED_ESCAPE) pending[length++] = ESCAPE_BYTE;
        else if (code === ESCAPED_MARKER) pending[length++] = FRAME_MARKER;
        else {
          outcome = BAD_ESCAPE;
          break;
        }
      }
    }
    this.length = length;
    return outcome;
  }

  /** The content is full and `chunk[at, to)` has more: over the cap, unless it is a bad or unfinished escape. */
  private atCap(chunk: Buffer, at: number, to: number): number {
    if (chunk[at] !== ESCAPE_BYTE) return OVERSIZED;
    if (at + 1 === to) {
      this.escaped = true;
      return APPENDED;
    }
    const code = chunk[at + 1];
    return code === ESCAPED_ESCAPE || code === ESCAPED_MARKER ? OVERSIZED : BAD_ESCAPE;
  }
}

/** A JT/T 808 stream splitter; `maxFrameBytes` caps the unescaped content (default: the largest legal frame). */
export function createJt808Splitter(options?: { maxFrameBytes?: number }): FrameSplitter {
  return new Jt808Splitter(options?.maxFrameBytes ?? MAX_CONTENT_LENGTH);
}
