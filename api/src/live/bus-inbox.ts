import type { DeviceDirectory } from './directory.ts';
import type { Position } from '@urbanlink/protocols';
import { parseBusMessage, positionBusMessage, type BusMessage, type LiveFeed } from './feed.ts';

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
  /** Each message's topic, or the device's uniqueId for a position handed over as a value (for error reports). */
  #sources: string[] = [];
  /** Each message's payload as received, or already parsed (a position handed over as a value). */
  #payloads: (Buffer | string | BusMessage)[] = [];
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
    return this.#sources.length - this.#next;
  }

  /**
   * Takes one MQTT message as the broker sent it (or its text, from the bus in this process); its listeners
   * see it in a later turn of the event loop.
   */
  push(topic: string, payload: Buffer | string): void {
    this.#enqueue(topic, payload);
  }

  /** Takes a stored position from the bus in this process, as a value; checked now, delivered like the rest. */
  pushPosition(deviceId: number, uniqueId: string, position: Position): void {
    const message = positionBusMessage(this.#feed, deviceId, uniqueId, position);
    if (message) this.#enqueue(uniqueId, message);
  }

  /** `source` names the message in an error report: its topic, or the device's uniqueId. */
  #enqueue(source: string, payload: Buffer | string | BusMessage): void {
    if (this.waiting >= MAX_WAITING) {
      this.dropped += 1;
      return;
    }
    this.#sources.push(source);
    this.#payloads.push(payload);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#deliver);
  }

  /** Forgets what is waiting: on shutdown, when the listeners' database is about to close. */
  clear(): void {
    this.#sources = [];
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
    const sources = this.#sources;
    const payloads = this.#payloads;
    do {
      const source = sources[this.#next]!;
      const payload = payloads[this.#next]!;
      this.#next += 1;
      // A throwing listener must not stop the messages behind it.
      try {
        const message = typeof payload === 'string' || Buffer.isBuffer(payload) ? parseBusMessage(this.#feed, source, payload) : payload;
        if (message) this.#directory.admit(this.#feed, message);
      } catch (error) {
        this.#onError(error, source);
      }
    } while (this.#next < sources.length && performance.now() < deadline);
    const handled = this.#next - first;
    if (this.#next === sources.length) {
      this.clear();
      this.#scheduled = false;
    } else {
      // A backlog that never quite empties must not keep every message it ever held.
      if (this.#next >= COMPACT_AFTER) {
        this.#sources = sources.slice(this.#next);
        this.#payloads = payloads.slice(this.#next);
        this.#next = 0;
      }
      setImmediate(this.#deliver);
    }
    this.slices += 1;
    this.onSlice?.(Number(startNs), Number(process.hrtime.bigint()), handled);
  };
}
