import { connect, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { pino } from 'pino';
import type { SqlClient } from '@urbanlink/db';
import { createSqlStore, startIngest, type Ingest, type IngestOptions } from '../src/index.ts';

export const quiet = pino({ level: 'silent' });

export function hex(value: string): Buffer {
  return Buffer.from(value.replace(/\s+/g, ''), 'hex');
}

export async function startTestIngest(client: SqlClient, options: Partial<IngestOptions> = {}): Promise<Ingest> {
  return startIngest({
    store: createSqlStore(client),
    logger: quiet,
    gt06: { port: 0, host: '127.0.0.1' },
    jt808: { port: 0, host: '127.0.0.1' },
    metricsLogMs: 0,
    stateFlushMs: 50,
    ...options,
  });
}

/** A raw TCP terminal: writes bytes, collects what the server answers. */
export class RawTerminal {
  private readonly socket: Socket;
  private received = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<RawTerminal> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawTerminal(socket);
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  /** Waits for exactly `length` bytes (or fails after `timeoutMs`) and returns them. */
  async read(length: number, timeoutMs = 5_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < length) {
      if (this.closed) throw new Error(`connection closed with ${this.received.length} of ${length} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${this.received.length} of ${length} bytes: ${this.received.toString('hex')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const out = this.received.subarray(0, length);
    this.received = this.received.subarray(length);
    return Buffer.from(out);
  }

  /** Reads one GT06 frame: 78 78 with a length byte, or 79 79 with a length word. */
  async readGt06(timeoutMs = 5_000): Promise<Buffer> {
    const start = await this.read(2, timeoutMs);
    const long = start[0] === 0x79;
    const lengthBytes = await this.read(long ? 2 : 1, timeoutMs);
    const length = long ? lengthBytes.readUInt16BE(0) : lengthBytes[0]!;
    return Buffer.concat([start, lengthBytes, await this.read(length + 2, timeoutMs)]);
  }

  /** Reads one JT/T 808 frame (7E … 7E). */
  async readJt808(timeoutMs = 5_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.received.indexOf(0x7e, 1);
      if (this.received[0] === 0x7e && end > 0) return this.read(end + 1);
      if (this.closed || Date.now() > deadline) throw new Error(`no JT/T 808 frame: ${this.received.toString('hex')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Bytes that arrived within `ms` (to assert silence). */
  async drain(ms: number): Promise<Buffer> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const out = this.received;
    this.received = Buffer.alloc(0);
    return out;
  }

  async waitClosed(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A UDP terminal on one local port, so the server keeps one session for it across datagrams. */
export class UdpTerminal {
  private readonly socket: UdpSocket;
  private readonly port: number;
  private readonly received: Buffer[] = [];

  private constructor(port: number) {
    this.port = port;
    this.socket = createSocket('udp4');
    this.socket.on('message', (message) => this.received.push(message));
  }

  static async open(port: number): Promise<UdpTerminal> {
    const terminal = new UdpTerminal(port);
    await new Promise<void>((resolve) => terminal.socket.bind(0, '127.0.0.1', resolve));
    return terminal;
  }

  send(datagram: Buffer): void {
    this.socket.send(datagram, this.port, '127.0.0.1');
  }

  /** The next datagram the server sent, or an error after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (Date.now() > deadline) throw new Error('no datagram from the server');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.received.shift()!;
  }

  close(): void {
    this.socket.close();
  }
}

/** Sends one UDP datagram and returns the first answer, or null after `timeoutMs`. */
export async function udpExchange(port: number, datagram: Buffer, timeoutMs = 2_000): Promise<Buffer | null> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      socket.once('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      socket.send(datagram, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The JT/T 808 splitter's job, for reading single answers in tests: strip the markers and unescape. */
export function unescapeJt808(frame: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 1; i < frame.length - 1; i++) {
    if (frame[i] === 0x7d) out.push(frame[++i] === 0x01 ? 0x7d : 0x7e);
    else out.push(frame[i]!);
  }
  return Buffer.from(out);
}
