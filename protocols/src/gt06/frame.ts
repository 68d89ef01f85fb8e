import type { FrameSplitter, SplitterStats } from '../frame-splitter.ts';
import { crc16X25 } from '../checksum.ts';
import { DEFAULT_MAX_FRAME_BYTES, LENGTH_OVERHEAD, LONG_START, MIN_FRAME_LENGTH, SHORT_START, STOP_CR, STOP_LF } from './constants.ts';

const EMPTY = Buffer.alloc(0);

/**
 * Splits a GT06 byte stream into frames `78 78 LEN … 0D 0A` and `79 79 LEN LEN … 0D 0A`, shaped like
 * pg-protocol's Parser: frames are emitted straight from the caller's chunk when possible, and only an
 * unfinished tail (never more than `maxFrameBytes`) is copied into a buffer of our own.
 *
 * A frame whose stop marker sits one byte late is emitted as is (devices that count their length one
 * short); the decoder rejects it unless lenient. Anything else that does not frame is skipped byte by
 * byte up to the next start marker and counted as garbage.
 */
class Gt06Splitter implements FrameSplitter {
  private buffer: Buffer = EMPTY;
  private bufferLength = 0;
  private readonly maxFrameBytes: number;
  readonly stats: SplitterStats = { frames: 0, garbageBytes: 0, oversizedFrames: 0 };

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  get buffered(): number {
    return this.bufferLength;
  }

  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    if (this.bufferLength === 0) {
      const consumed = this.scan(chunk, chunk.length, onFrame);
      this.keepTail(chunk, consumed, chunk.length);
      return;
    }
    const total = this.bufferLength + chunk.length;
    if (total > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(total, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.bufferLength);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.bufferLength);
    const consumed = this.scan(this.buffer, total, onFrame);
    this.keepTail(this.buffer, consumed, total);
  }

  reset(): void {
    this.buffer = EMPTY;
    this.bufferLength = 0;
  }

  /**
   * Moves the unconsumed tail (always shorter than one maximum frame) to the front of a buffer of our
   * own, trading a buffer grown for a large chunk back for a small one so it is not retained.
   */
  private keepTail(source: Buffer, from: number, end: number): void {
    const length = end - from;
    const reuse = this.buffer.length >= length && this.buffer.length <= this.maxFrameBytes * 2;
    if (length === 0) {
      if (!reuse) this.buffer = EMPTY;
    } else {
      const target = reuse ? this.buffer : Buffer.allocUnsafe(this.maxFrameBytes);
      source.copy(target, 0, from, end);
      this.buffer = target;
    }
    this.bufferLength = length;
  }

  /** Emits every whole frame in `data[0, end)`; returns where the first unfinished frame begins. */
  private scan(data: Buffer, end: number, onFrame: (frame: Buffer) => void): number {
    let at = 0;
    while (at < end) {
      const start = data[at]!;
      if (start !== SHORT_START && start !== LONG_START) {
        at = this.skipGarbage(data, at + 1, end);
        continue;
      }
      const headerLength = start === SHORT_START ? 3 : 4;
      if (at + headerLength > end) return at;
      if (data[at + 1] !== start) {
        this.stats.garbageBytes++;
        at++;
        continue;
      }
      const declared = start === SHORT_START ? data[at + 2]! : data.readUInt16BE(at + 2);
      const length = headerLength + declared + 2;
      if (declared < LENGTH_OVERHEAD || length > this.maxFrameBytes) {
        if (length > this.maxFrameBytes) this.stats.oversizedFrames++;
        this.stats.garbageBytes++;
        at++;
        continue;
      }
      if (at + length > end) {
        // A start marker in noise can claim a long frame; a whole, CRC-valid frame already behind it
        // proves it false, so a real frame is not held back until the claimed length has arrived.
        const next = this.nextWholeFrame(data, at + 2, end);
        if (next === -1) return at;
        this.stats.garbageBytes += next - at;
        at = next;
        continue;
      }
      const found = this.frameLength(data, at, length, end);
      if (found === -1) return at;
      if (found === 0) {
        this.stats.garbageBytes++;
        at++;
        continue;
      }
      this.stats.frames++;
      onFrame(data.subarray(at, at + found));
      at += found;
    }
    return at;
  }

  /** The frame's real length: as declared, one longer (length quirk), 0 if neither ends in 0D 0A, -1 to wait. */
  private frameLength(data: Buffer, at: number, length: number, end: number): number {
    if (data[at + length - 2] === STOP_CR && data[at + length - 1] === STOP_LF) return length;
    if (length + 1 > this.maxFrameBytes) return 0;
    if (at + length + 1 > end) return data[at + length - 1] === STOP_CR ? -1 : 0;
    return data[at + length - 1] === STOP_CR && data[at + length] === STOP_LF ? length + 1 : 0;
  }

  /** Where the first complete frame with a matching CRC starts in `data[from, end)`, or -1. */
  private nextWholeFrame(data: Buffer, from: number, end: number): number {
    for (let at = from; at + MIN_FRAME_LENGTH <= end; at++) {
      const start = data[at]!;
      if ((start !== SHORT_START && start !== LONG_START) || data[at + 1] !== start) continue;
      const headerLength = start === SHORT_START ? 3 : 4;
      const declared = start === SHORT_START ? data[at + 2]! : data.readUInt16BE(at + 2);
      const stop = at + headerLength + declared;
      if (declared < LENGTH_OVERHEAD || stop + 2 > end || data[stop] !== STOP_CR || data[stop + 1] !== STOP_LF) continue;
      if (crc16X25(data, at + 2, stop - 2) === data.readUInt16BE(stop - 2)) return at;
    }
    return -1;
  }

  private skipGarbage(data: Buffer, from: number, end: number): number {
    let at = from;
    while (at < end && data[at] !== SHORT_START && data[at] !== LONG_START) at++;
    this.stats.garbageBytes += at - from + 1;
    return at;
  }
}

export function createGt06Splitter(options: { maxFrameBytes?: number } = {}): FrameSplitter {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 16) {
    throw new RangeError(`maxFrameBytes must be an integer of at least 16, got ${maxFrameBytes}`);
  }
  return new Gt06Splitter(maxFrameBytes);
}
