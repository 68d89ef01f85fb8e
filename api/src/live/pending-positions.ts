import { isoTime } from '@urbanlink/protocols';
import type { LivePosition } from './feed.ts';

// Micro-degrees are what the database stores (~0.1 m); more digits only make the message longer.
const round6 = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
const round1 = (value: number) => Math.round(value * 10) / 10;

const FIRST_CAPACITY = 1_024;

/**
 * The newest fix of each vehicle that moved since the last tick, as the live hub sends it. A moving fleet of
 * 100 000 changes 10 000 vehicles a second, and each change waits up to a tick (a second) to be sent: kept as
 * an object each, they were what the young-generation GC still had to copy once requests left nothing behind
 * (benchmarks/RESULTS.md, Nearest vehicle). So each vehicle has a slot in typed columns, kept from tick to
 * tick, and a tick's changes are the list of slots written since the last `clear`.
 */
export class PendingPositions {
  readonly #slotOf = new Map<number, number>();
  #deviceId = new Int32Array(FIRST_CAPACITY);
  #fixTimeMs = new Float64Array(FIRST_CAPACITY);
  #lat = new Float64Array(FIRST_CAPACITY);
  #lon = new Float64Array(FIRST_CAPACITY);
  #speedKmh = new Float64Array(FIRST_CAPACITY);
  #course = new Float64Array(FIRST_CAPACITY);
  #valid = new Uint8Array(FIRST_CAPACITY);
  /** The tick in which each slot was last written: a slot is pending while it equals `#tick`. */
  #writtenIn = new Uint32Array(FIRST_CAPACITY);
  #tick = 1;
  /** Pending slots, in the order they were first written this tick. */
  #pending = new Int32Array(FIRST_CAPACITY);
  #count = 0;
  /** Alarms reported this tick, by slot: rare, so a map rather than a column. */
  readonly #alarms = new Map<number, readonly string[]>();
  /** Each pending change as JSON, made when the first client needs it, by its place in `#pending`. */
  #json: (string | undefined)[] = [];

  /** Changes waiting for the next tick. */
  get size(): number {
    return this.#count;
  }

  /** Keeps the fix unless a newer one of the same vehicle is already pending (a terminal's late backlog). */
  set(position: LivePosition): void {
    const fixTimeMs = position.fixTimeMs;
    // The bus admits only parseable times; anything else has no place on a map.
    if (!Number.isFinite(fixTimeMs)) return;
    let slot = this.#slotOf.get(position.deviceId);
    if (slot === undefined) {
      slot = this.#slotOf.size;
      if (slot === this.#deviceId.length) this.#grow();
      this.#slotOf.set(position.deviceId, slot);
      this.#deviceId[slot] = position.deviceId;
    }
    if (this.#writtenIn[slot] === this.#tick) {
      if (this.#fixTimeMs[slot]! > fixTimeMs) return;
    } else {
      this.#writtenIn[slot] = this.#tick;
      this.#pending[this.#count++] = slot;
    }
    this.#fixTimeMs[slot] = fixTimeMs;
    this.#lat[slot] = round6(position.lat);
    this.#lon[slot] = round6(position.lon);
    this.#speedKmh[slot] = round1(position.speedKmh);
    this.#course[slot] = Math.round(position.course);
    this.#valid[slot] = position.valid ? 1 : 0;
    // An alarm raised earlier in this tick is still news when a later fix without one replaces it.
    if (position.alarms.length > 0) this.#alarms.set(slot, position.alarms);
  }

  /** The i-th pending change's vehicle, for filtering before its JSON is made. */
  deviceIdAt(i: number): number {
    return this.#deviceId[this.#pending[i]!]!;
  }

  latAt(i: number): number {
    return this.#lat[this.#pending[i]!]!;
  }

  lonAt(i: number): number {
    return this.#lon[this.#pending[i]!]!;
  }

  /** The i-th pending change as the hub sends it, made once per tick however many clients receive it. */
  jsonAt(i: number): string {
    let text = this.#json[i];
    if (text === undefined) {
      const slot = this.#pending[i]!;
      const alarms = this.#alarms.get(slot);
      text = JSON.stringify({
        deviceId: this.#deviceId[slot],
        fixTime: isoTime(this.#fixTimeMs[slot]!),
        lat: this.#lat[slot],
        lon: this.#lon[slot],
        speedKmh: this.#speedKmh[slot],
        course: this.#course[slot],
        valid: this.#valid[slot] === 1,
        ...(alarms && { alarms }),
      });
      this.#json[i] = text;
    }
    return text;
  }

  /** Forgets the pending changes: the tick has sent them. */
  clear(): void {
    this.#tick += 1;
    this.#count = 0;
    this.#alarms.clear();
    this.#json = [];
  }

  #grow(): void {
    const capacity = this.#deviceId.length * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(column: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(column);
      return next;
    };
    this.#deviceId = grown(this.#deviceId, (n) => new Int32Array(n));
    this.#fixTimeMs = grown(this.#fixTimeMs, (n) => new Float64Array(n));
    this.#lat = grown(this.#lat, (n) => new Float64Array(n));
    this.#lon = grown(this.#lon, (n) => new Float64Array(n));
    this.#speedKmh = grown(this.#speedKmh, (n) => new Float64Array(n));
    this.#course = grown(this.#course, (n) => new Float64Array(n));
    this.#valid = grown(this.#valid, (n) => new Uint8Array(n));
    this.#writtenIn = grown(this.#writtenIn, (n) => new Uint32Array(n));
    this.#pending = grown(this.#pending, (n) => new Int32Array(n));
  }
}
