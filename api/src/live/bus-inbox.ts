import type { DeviceDirectory } from './directory.ts';
import { parseBusMessage, type LiveFeed } from './feed.ts';

// How long one turn of the event loop may spend handing bus messages to the feed's listeners before it lets
// HTTP requests and timers run. A position costs the listeners ~10 µs, so this is ~20 positions a turn.
const SLICE_MS = 0.25;
const COMPACT_AFTER = 4_096;
// Twenty seconds of a moving fleet of 100 000. Beyond it the listeners are not keeping up (a burst cannot be this
// long) and the inbox refuses messages, counted, rather than growing: the bus is QoS 0 live data, and a later
// position of the same vehicle replaces a lost one, as the MQTT client's own backpressure did before the inbox.
const MAX_WAITING = 200_000;

/**
 * Where bus messages from ingest wait for the feed. The broker sends them in bursts (a moving fleet of 100 000
 * is 10 000 positions a second), and every listener (nearest index, live hub, alarms, arrivals) runs on each
 * one synchronously: a burst of 100 held the event loop 1.3 ms, and an HTTP request arriving meanwhile
 * waited for all of it. Here messages are parsed and admitted in arrival order a slice at a time, each slice
 * at most SLICE_MS, with the event loop's other work between slices. A position reaches the listeners a few
 * milliseconds later at most under such a burst; nothing is dropped, and a backlog drains at full speed since
 * a slice only yields, it does not wait.
 */
export class BusInbox {
  readonly #feed: LiveFeed;
  readonly #directory: DeviceDirectory;
  readonly #onError: (error: unknown, topic: string) => void;
  #topics: string[] = [];
  #payloads: (Buffer | string)[] = [];
  #next = 0;
  #scheduled = false;
  slices = 0;
  /** Messages refused because MAX_WAITING were already waiting. */
  dropped = 0;
  /** Told of each slice (process.hrtime in ns, messages handled): how the benchmark sees what the loop was doing. */
  onSlice: ((startNs: number, endNs: number, messages: number) => void) | null = null;

  constructor(feed: LiveFeed, directory: DeviceDirectory, onError: (error: unknown, topic: string) => void) {
    this.#feed = feed;
    this.#directory = directory;
    this.#onError = onError;
  }

  /** Messages received and not yet handed to the feed. */
  get waiting(): number {
    return this.#topics.length - this.#next;
  }

  /**
   * Takes one MQTT message as the broker sent it (or its text, from the bus in this process); its listeners
   * see it in a later turn of the event loop.
   */
  push(topic: string, payload: Buffer | string): void {
    if (this.waiting >= MAX_WAITING) {
      this.dropped += 1;
      return;
    }
    this.#topics.push(topic);
    this.#payloads.push(payload);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#deliver);
  }

  /** Forgets what is waiting: on shutdown, when the listeners' database is about to close. */
  clear(): void {
    this.#topics = [];
    this.#payloads = [];
    this.#next = 0;
  }

  readonly #deliver = (): void => {
    if (this.waiting === 0) {
      this.#scheduled = false; // cleared meanwhile
      return;
    }
    const startNs = process.hrtime.bigint();
    const deadline = performance.now() + SLICE_MS;
    const first = this.#next;
    const topics = this.#topics;
    const payloads = this.#payloads;
    do {
      const topic = topics[this.#next]!;
      const payload = payloads[this.#next]!;
      this.#next += 1;
      // A throwing listener must not stop the messages behind it.
      try {
        const message = parseBusMessage(this.#feed, topic, payload);
        if (message) this.#directory.admit(this.#feed, message);
      } catch (error) {
        this.#onError(error, topic);
      }
    } while (this.#next < topics.length && performance.now() < deadline);
    const handled = this.#next - first;
    if (this.#next === topics.length) {
      this.clear();
      this.#scheduled = false;
    } else {
      // A backlog that never quite empties must not keep every message it ever held.
      if (this.#next >= COMPACT_AFTER) {
        this.#topics = topics.slice(this.#next);
        this.#payloads = payloads.slice(this.#next);
        this.#next = 0;
      }
      setImmediate(this.#deliver);
    }
    this.slices += 1;
    this.onSlice?.(Number(startNs), Number(process.hrtime.bigint()), handled);
  };
}
