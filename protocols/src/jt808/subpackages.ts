import type { Jt808Header } from './messages.ts';

/** What the reassembler needs from a 'fragment' message. */
export interface Jt808FragmentInput {
  readonly header: Jt808Header;
  readonly body: Buffer;
}

export type Jt808ReassemblyResult =
  /** Every packet arrived: decode `body` under `header` with decodeJt808Body. */
  | { readonly status: 'complete'; readonly header: Jt808Header; readonly body: Buffer }
  | { readonly status: 'pending'; readonly received: number; readonly total: number }
  /** Not a fragment, or more packets than `maxPackets`. */
  | { readonly status: 'rejected'; readonly reason: string };

/** Ask the terminal for these packets with encodeJt808.resendRequest (0x8003). */
export interface Jt808ResendAsk {
  readonly target: Jt808Header;
  readonly id: number;
  readonly originalSerial: number;
  readonly packets: number[];
}

interface Pending {
  readonly header: Jt808Header;
  readonly originalSerial: number;
  readonly parts: (Buffer | undefined)[];
  received: number;
  lastMs: number;
  asks: number;
}

export interface Jt808ReassemblerOptions {
  /** Silence after the last packet before the missing ones are asked for (default 30 s). */
  timeoutMs?: number;
  /** Messages assembled at once; the oldest is dropped beyond it (default 1024). */
  maxPending?: number;
  /** Packets one message may have (default 1024, about 1 MB of body). */
  maxPackets?: number;
  /** Times to ask for missing packets before giving the message up (default 3). */
  maxAsks?: number;
}

/**
 * Collects subpackages (§4.4.3) in any order into one body. Pure: the caller passes the clock in, and
 * calls `expire` from its own timer to learn which packets to ask for again (§8.4, 0x8003).
 * Packets of one message share (phone, id, total); the original serial is the first packet's serial.
 */
export class Jt808Reassembler {
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly maxPackets: number;
  private readonly maxAsks: number;
  // Insertion order is age order, which is what dropping the oldest needs.
  private readonly pending = new Map<string, Pending>();

  constructor(options?: Jt808ReassemblerOptions) {
    this.timeoutMs = options?.timeoutMs ?? 30_000;
    this.maxPending = options?.maxPending ?? 1024;
    this.maxPackets = options?.maxPackets ?? 1024;
    this.maxAsks = options?.maxAsks ?? 3;
  }

  get size(): number {
    return this.pending.size;
  }

  add(fragment: Jt808FragmentInput, nowMs: number): Jt808ReassemblyResult {
    const { header, body } = fragment;
    const sub = header.subpackage;
    if (!sub) return { status: 'rejected', reason: 'frame is not a subpackage' };
    if (sub.total > this.maxPackets) {
      return { status: 'rejected', reason: `${sub.total} subpackages exceed the limit of ${this.maxPackets}` };
    }
    const key = `${header.phone}:${header.id}:${sub.total}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= this.maxPending) this.pending.delete(this.pending.keys().next().value!);
      entry = {
        header,
        originalSerial: (header.serial - (sub.index - 1)) & 0xffff,
        parts: new Array<Buffer | undefined>(sub.total),
        received: 0,
        lastMs: nowMs,
        asks: 0,
      };
      this.pending.set(key, entry);
    }
    entry.lastMs = nowMs;
    if (!entry.parts[sub.index - 1]) {
      entry.parts[sub.index - 1] = body;
      entry.received++;
    }
    if (entry.received < sub.total) return { status: 'pending', received: entry.received, total: sub.total };
    this.pending.delete(key);
    const first = entry.header;
    const joined = Buffer.concat(entry.parts as Buffer[]);
    return {
      status: 'complete',
      header: { ...first, serial: entry.originalSerial, bodyLength: joined.length, subpackage: null },
      body: joined,
    };
  }

  /** Messages silent for `timeoutMs`: ask again for their missing packets, or drop them after `maxAsks`. */
  expire(nowMs: number): Jt808ResendAsk[] {
    const asks: Jt808ResendAsk[] = [];
    for (const [key, entry] of this.pending) {
      if (nowMs - entry.lastMs < this.timeoutMs) continue;
      if (entry.asks >= this.maxAsks) {
        this.pending.delete(key);
        continue;
      }
      entry.asks++;
      entry.lastMs = nowMs;
      const packets: number[] = [];
      for (let i = 0; i < entry.parts.length; i++) if (!entry.parts[i]) packets.push(i + 1);
      asks.push({ target: entry.header, id: entry.header.id, originalSerial: entry.originalSerial, packets });
    }
    return asks;
  }
}
