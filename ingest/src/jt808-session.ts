import {
  FrameError,
  Jt808Reassembler,
  createJt808Splitter,
  decodeJt808,
  decodeJt808Body,
  encodeJt808,
  type Jt808Header,
  type Jt808Message,
} from '@urbanlink/protocols';
import type { EncodedCommand, SessionContext } from './session-context.ts';
import type { DeviceRecord, QueuedCommand } from './store.ts';
import { TerminalSession } from './terminal-session.ts';
import type { Link } from './transport/link.ts';
import { encodeJt808Command } from './jt808-commands.ts';

// 0x8001 and 0x8100 results (§8.2, §8.6).
const OK = 0;
const FAILURE = 1;
const UNSUPPORTED = 3;
const REGISTER_UNKNOWN_TERMINAL = 4;
/** 0x0001 results other than 0 (§8.1): the terminal did not carry the command out. */
const REFUSALS: Readonly<Record<number, string>> = { 1: 'failure', 2: 'bad message', 3: 'unsupported' };

/**
 * One JT/T 808 terminal. States: `unauthenticated` (only 0x0100 register and 0x0102 authenticate are
 * served; everything else gets 0x8001 failure and is not stored) → `authenticated` (the device is known and
 * gave its code). Replies use the terminal's own header version and a serial of our own.
 */
export class Jt808Session extends TerminalSession {
  protected readonly protocol = 'jt808';
  private state: 'unauthenticated' | 'authenticated' = 'unauthenticated';
  private serial = 0;
  /** The last authentication's header: who commands go to and in which header version. */
  private header: Jt808Header | null = null;
  /** Created on the first subpackage; most terminals never send one. */
  private reassembler: Jt808Reassembler | null = null;
  /** Runs while a split message is incomplete, to ask for its missing packets (0x8003). */
  private reassemblyTimer: NodeJS.Timeout | null = null;

  constructor(link: Link, ctx: SessionContext) {
    super(link, ctx, createJt808Splitter());
  }

  protected handle(frame: Buffer, receivedAt: number): Promise<void> | void {
    const device = this.device;
    const message = decodeJt808(frame, {
      timeZoneOffsetMinutes: device?.timeZoneOffsetMinutes ?? this.ctx.options.jt808TimeZoneOffsetMinutes,
      lenient: device?.lenient || this.ctx.options.lenient,
    });
    if (message instanceof FrameError) {
      this.frameRejected(message.code);
      return;
    }
    this.frameDecoded();
    if (message.name === 'register') return this.register(message);
    if (message.name === 'authenticate') return this.authenticate(message.header, message.authCode);
    if (this.state !== 'authenticated' || !device || message.header.uniqueId !== device.uniqueId) {
      this.ctx.metrics.refused.inc({ protocol: 'jt808' });
      this.ack(message.header, FAILURE);
      return;
    }
    this.authenticated(device, message, receivedAt);
  }

  override closed(reason: string): void {
    if (this.reassemblyTimer) clearTimeout(this.reassemblyTimer);
    this.reassemblyTimer = null;
    this.reassembler = null;
    super.closed(reason);
  }

  encodeCommand(command: QueuedCommand): EncodedCommand {
    const target = this.target();
    if (!target) return { error: 'the terminal has not authenticated' };
    const serial = this.nextSerial();
    return encodeJt808Command(target, command, serial);
  }

  private authenticated(device: DeviceRecord, message: Jt808Message, receivedAt: number): void {
    const { header } = message;
    switch (message.name) {
      case 'location':
        this.storeThenAck(device, [message.position], receivedAt, () => this.ackFrame(header, OK));
        return;
      case 'locationBatch':
        this.storeThenAck(device, message.positions, receivedAt, () => this.ackFrame(header, OK));
        return;
      case 'locationReply':
        this.storeThenAck(device, [message.position], receivedAt, () => this.ackFrame(header, OK));
        this.ctx.commandReply(device, message.ackSerial, JSON.stringify({ fixTime: new Date(message.position.fixTimeMs).toISOString(), lat: message.position.lat, lon: message.position.lon }));
        return;
      case 'terminalResponse': {
        const refusal = message.result === OK ? null : `the terminal answered 0x0001 result ${message.result} (${REFUSALS[message.result] ?? 'unknown'})`;
        this.ctx.commandReply(device, message.ackSerial, JSON.stringify({ ackId: message.ackId, result: message.result }), refusal);
        return;
      }
      case 'parameters':
        this.ctx.commandReply(device, message.ackSerial, JSON.stringify(message.params.map(parameterJson)));
        this.ack(header, OK, receivedAt);
        return;
      case 'timeRequest':
        this.send(encodeJt808.timeReply(header, Date.now(), this.nextSerial()), receivedAt);
        return;
      case 'logout':
        this.ack(header, OK, receivedAt);
        this.link.close('logout');
        return;
      case 'fragment':
        this.fragment(device, message, receivedAt);
        return;
      case 'heartbeat':
      case 'mediaEvent':
        this.ack(header, OK, receivedAt);
        return;
      default:
        this.ack(header, UNSUPPORTED, receivedAt);
    }
  }

  /** Each subpackage is acknowledged; the whole message is handled once its last part arrives. */
  private fragment(device: DeviceRecord, message: Extract<Jt808Message, { name: 'fragment' }>, receivedAt: number): void {
    const { subpackageTimeoutMs, subpackageMaxAsks } = this.ctx.options;
    this.reassembler ??= new Jt808Reassembler({ maxPending: 8, maxPackets: 256, timeoutMs: subpackageTimeoutMs, maxAsks: subpackageMaxAsks });
    const result = this.reassembler.add(message, Date.now());
    if (result.status === 'rejected') {
      this.frameRejected('subpackage');
      this.ack(message.header, FAILURE, receivedAt);
      return;
    }
    if (result.status === 'pending') {
      this.ack(message.header, OK, receivedAt);
      this.watchReassembly();
      return;
    }
    const whole = decodeJt808Body(result.header, result.body, {
      timeZoneOffsetMinutes: device.timeZoneOffsetMinutes ?? this.ctx.options.jt808TimeZoneOffsetMinutes,
      lenient: device.lenient || this.ctx.options.lenient,
    });
    if (whole instanceof FrameError || whole.name === 'fragment') {
      this.frameRejected(whole instanceof FrameError ? whole.code : 'subpackage');
      this.ack(message.header, FAILURE, receivedAt);
      return;
    }
    // The last packet's ack waits for the whole message to be handled (stored, for a batch).
    this.authenticated(device, { ...whole, header: message.header } as Jt808Message, receivedAt);
  }

  /**
   * While a split message is incomplete, checks a few times per timeout whether it has fallen silent; then its
   * missing packets are asked for, and after the last ask it is dropped. One timer per session, none when idle.
   */
  private watchReassembly(): void {
    if (this.reassemblyTimer || !this.reassembler?.size) return;
    this.reassemblyTimer = setTimeout(() => {
      this.reassemblyTimer = null;
      this.askForMissingPackets();
      this.watchReassembly();
    }, Math.max(1, this.ctx.options.subpackageTimeoutMs / 4));
    this.reassemblyTimer.unref();
  }

  private askForMissingPackets(): void {
    const reassembler = this.reassembler;
    if (!reassembler || this.link.closed) return;
    const before = reassembler.size;
    const asks = reassembler.expire(Date.now());
    // expire() removes a message only when it gives it up.
    const dropped = before - reassembler.size;
    if (dropped > 0) this.ctx.metrics.subpackageDrops.inc({ protocol: 'jt808' }, dropped);
    for (const ask of asks) {
      this.ctx.metrics.subpackageAsks.inc({ protocol: 'jt808' });
      this.send(encodeJt808.resendRequest(ask.target, { originalSerial: ask.originalSerial, packets: ask.packets }, this.nextSerial()));
    }
  }

  private async register(message: Extract<Jt808Message, { name: 'register' }>): Promise<void> {
    const { header } = message;
    const device = await this.ctx.devices.resolve(header.uniqueId, 'jt808');
    if (!device) {
      this.ctx.metrics.refused.inc({ protocol: 'jt808' });
      this.send(encodeJt808.registerAck(header, header.serial, REGISTER_UNKNOWN_TERMINAL, null, this.nextSerial()));
      return;
    }
    const code = await this.ctx.devices.issueAuthCode(device);
    this.send(encodeJt808.registerAck(header, header.serial, OK, code, this.nextSerial()));
  }

  private async authenticate(header: Jt808Header, authCode: string): Promise<void> {
    let device = await this.ctx.devices.resolve(header.uniqueId, 'jt808');
    // The code may have been issued by another process (or set through the API) since it was cached.
    if (device && device.authCode !== authCode) device = await this.ctx.devices.refresh(header.uniqueId, 'jt808');
    if (!device || !device.authCode || device.authCode !== authCode) {
      this.ctx.metrics.refused.inc({ protocol: 'jt808' });
      this.ack(header, FAILURE);
      return;
    }
    this.state = 'authenticated';
    this.header = header;
    this.attach(device);
    this.ack(header, OK);
  }

  private target(): Jt808Header | null {
    return this.state === 'authenticated' ? this.header : null;
  }

  private ack(header: Jt808Header, result: 0 | 1 | 3, receivedAt?: number): void {
    this.send(this.ackFrame(header, result), receivedAt);
  }

  private ackFrame(header: Jt808Header, result: 0 | 1 | 3): Buffer {
    return encodeJt808.platformAck(header, header.serial, header.id, result, this.nextSerial());
  }

  private nextSerial(): number {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    return serial;
  }
}

function parameterJson(param: { id: number; value: number | string | Buffer }): { id: string; value: number | string } {
  const value = Buffer.isBuffer(param.value) ? param.value.toString('hex') : param.value;
  return { id: `0x${param.id.toString(16).padStart(4, '0')}`, value };
}
