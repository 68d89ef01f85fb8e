import type { Logger } from 'pino';
import type { IngestStore, RawFrameRow } from './store.ts';

const FLUSH_MS = 1_000;
const MAX_BATCH = 2_000;
/** Frames held for the archive at most; beyond it the archive drops (it is diagnostics, not data). */
const MAX_HELD = 50_000;

/**
 * The optional archive of raw frames in and out (RAW_FRAMES_ARCHIVE=on), for diagnosing terminals. Frames
 * are written in batches apart from positions: a slow archive never delays an ack.
 */
export class RawArchive {
  private readonly store: IngestStore;
  private readonly log: Logger;
  private held: RawFrameRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(store: IngestStore, log: Logger) {
    this.store = store;
    this.log = log;
  }

  record(row: RawFrameRow): void {
    if (this.held.length >= MAX_HELD) {
      this.dropped++;
      return;
    }
    this.held.push(row);
    if (this.held.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.held;
    this.held = [];
    if (rows.length === 0) return this.writing;
    this.writing = this.writing.then(() =>
      this.store.archiveRawFrames(rows).catch((error: unknown) => {
        this.dropped += rows.length;
        this.log.warn({ err: error, frames: rows.length }, 'raw frame archive write failed');
      }),
    );
    return this.writing;
  }
}
