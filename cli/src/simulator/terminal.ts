import { connect, type Socket } from 'node:net';
import type { FrameSplitter, Position } from '@urbanlink/protocols';
import type { FleetStats } from './stats.ts';
import type { Vehicle } from './vehicle.ts';

export interface TerminalOptions {
  host: string;
  port: number;
  uniqueId: string;
  vehicle: Vehicle;
  intervalS: number;
  stats: FleetStats;
  /** A position not acknowledged within this long is sent again, unchanged (same serial). */
  ackTimeoutMs: number;
  /** Heartbeat period; real terminals send one every few minutes when they have nothing else to say. */
  heartbeatS: number;
}

interface Unacked {
  frame: Buffer;
  firstSentAt: number;
  lastSentAt: number;
}

const RECONNECT_MS = 3_000;

/**
 * What every simulated terminal does, whatever its protocol: connect, log in, then report a position every
 * interval and resend what is not acknowledged, as a real terminal's blind-area buffer does. Subclasses
 * build the frames and read the server's answers.
 */
export abstract class SimulatedTerminal {
  protected readonly options: TerminalOptions;
  protected socket: Socket | null = null;
  protected loggedIn = false;
  private readonly splitter: FrameSplitter;
  private readonly unacked = new Map<number, Unacked>();
  private serial = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private lastFixAt = Date.now();
  private lastFixTimeMs = 0;

  constructor(options: TerminalOptions, splitter: FrameSplitter) {
    this.options = options;
    this.splitter = splitter;
  }

  get pending(): number {
    return this.unacked.size;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.socket?.destroy();
  }

  /** Sends the login (or register + authenticate) sequence. */
  protected abstract handshake(): void;
  protected abstract locationFrame(position: Position, serial: number): Buffer;
  protected abstract heartbeatFrame(serial: number): Buffer;
  /** Reads one frame from the server. */
  protected abstract onFrame(frame: Buffer): void;

  protected nextSerial(): number {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    return serial;
  }

  protected write(frame: Buffer): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(frame);
  }

  /** The login completed: start reporting, and resend whatever was owed before a reconnect. */
  protected online(): void {
    if (this.loggedIn) return;
    this.loggedIn = true;
    this.options.stats.loggedIn++;
    for (const entry of this.unacked.values()) this.send(entry);
    this.report();
    const interval = this.options.intervalS * 1_000;
    // Spread the fleet over the interval so reports do not arrive in lockstep.
    this.every(interval, () => this.report(), Math.random() * interval);
    this.every(this.options.heartbeatS * 1_000, () => this.write(this.heartbeatFrame(this.nextSerial())));
    this.every(Math.min(1_000, this.options.ackTimeoutMs), () => this.resendOverdue());
  }

  protected refused(): void {
    this.options.stats.refused++;
    this.stop();
  }

  /** The server acknowledged the frame with this serial. */
  protected acknowledged(serial: number): void {
    const entry = this.unacked.get(serial);
    if (!entry) return;
    this.unacked.delete(serial);
    this.options.stats.acked++;
    this.options.stats.latency.record(performance.now() - entry.lastSentAt);
  }

  private report(): void {
    const now = Date.now();
    const fix = this.options.vehicle.step((now - this.lastFixAt) / 1_000);
    this.lastFixAt = now;
    // Fix times have whole seconds on the wire; two reports must not share one or the second is a resend.
    this.lastFixTimeMs = Math.max(this.lastFixTimeMs + 1_000, Math.floor(now / 1_000) * 1_000);
    const position: Position = {
      uniqueId: this.options.uniqueId,
      fixTimeMs: this.lastFixTimeMs,
      lat: fix.lat,
      lon: fix.lon,
      altitudeM: 500,
      speedKmh: fix.speedKmh,
      course: fix.course,
      valid: true,
      satellites: 9,
      ignition: true,
      odometerKm: null,
      fuelL: null,
      alarms: [],
      attributes: {},
    };
    const serial = this.nextSerial();
    const entry = { frame: this.locationFrame(position, serial), firstSentAt: performance.now(), lastSentAt: 0 };
    // A real terminal's buffer is finite; the oldest unacknowledged fix is overwritten.
    if (this.unacked.size >= 1_000) this.unacked.delete(this.unacked.keys().next().value!);
    this.unacked.set(serial, entry);
    this.send(entry);
    this.options.stats.sent++;
  }

  private send(entry: Unacked): void {
    entry.lastSentAt = performance.now();
    this.write(entry.frame);
  }

  private resendOverdue(): void {
    const cutoff = performance.now() - this.options.ackTimeoutMs;
    for (const entry of this.unacked.values()) {
      if (entry.lastSentAt > cutoff) continue;
      this.options.stats.resent++;
      this.send(entry);
    }
  }

  private connect(): void {
    const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true });
    this.socket = socket;
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      this.options.stats.connected++;
      this.handshake();
    });
    socket.on('data', (chunk) => this.splitter.push(chunk, (frame) => this.onFrame(frame)));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (connected) this.options.stats.connected--;
      if (this.loggedIn) this.options.stats.loggedIn--;
      this.loggedIn = false;
      this.clearTimers();
      this.splitter.reset();
      if (!this.stopped) this.timers.push(setTimeout(() => this.connect(), RECONNECT_MS));
    });
  }

  private every(ms: number, work: () => void, firstDelayMs?: number): void {
    if (firstDelayMs === undefined) {
      this.timers.push(setInterval(work, ms));
      return;
    }
    this.timers.push(
      setTimeout(() => {
        work();
        this.timers.push(setInterval(work, ms));
      }, firstDelayMs),
    );
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}
