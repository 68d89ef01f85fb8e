/** What every protocol's stream splitter counts; ingest exports these as metrics. */
export interface SplitterStats {
  frames: number;
  /** Bytes skipped because they were not inside a frame (noise, or a frame whose markers were wrong). */
  garbageBytes: number;
  /** Frames dropped because they claimed or reached more than the protocol's maximum frame size. */
  oversizedFrames: number;
}

/**
 * Turns arbitrary TCP chunks into whole frames. Pure and synchronous: `push` calls `onFrame` for each
 * complete frame, in order, and keeps at most one maximum-size frame of tail between calls. The frame
 * handed to `onFrame` is a view into the splitter's buffer, valid only during the call: copy it to keep it.
 */
export interface FrameSplitter {
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void;
  /** Bytes held waiting for the rest of a frame. */
  readonly buffered: number;
  readonly stats: SplitterStats;
  reset(): void;
}
