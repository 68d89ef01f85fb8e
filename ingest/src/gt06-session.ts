import {
  FrameError,
  GT06_ENGINE_RESUME_COMMAND,
  GT06_ENGINE_STOP_COMMAND,
  createGt06Splitter,
  decodeGt06,
  encodeGt06,
  gt06NeedsAck,
  positionWithoutFix,
  type Gt06LbsAlarm,
  type Gt06Login,
  type Gt06Message,
  type Position,
} from '@urbanlink/protocols';
import type { EncodedCommand, SessionContext } from './session-context.ts';
import type { DeviceRecord, QueuedCommand } from './store.ts';
import { TerminalSession } from './terminal-session.ts';
import type { Link } from './transport/link.ts';

/** 0x19 alarms remembered per connection; a terminal resends only its last few unacknowledged frames. */
const LBS_ALARMS_REMEMBERED = 32;

/** Downlink text for each command type a GT06 relay or tracker understands. */
function commandText(command: QueuedCommand): string | null {
  const params = command.params;
  switch (command.type) {
    case 'text':
    case 'custom':
      return typeof params.text === 'string' && params.text !== '' ? params.text : null;
    case 'engineStop':
      return GT06_ENGINE_STOP_COMMAND;
    case 'engineResume':
      return GT06_ENGINE_RESUME_COMMAND;
    case 'locate':
      return 'WHERE#';
    default:
      return null;
  }
}

/**
 * One GT06 terminal. States: `awaitingLogin` (frames are neither answered nor stored) → `online` after the
 * login of a known IMEI, or `refused` for an unknown one (no answer, nothing stored; a later login is
 * looked up again so a device added meanwhile gets in). The login's time-zone word sets the clock offset.
 */
export class Gt06Session extends TerminalSession {
  protected readonly protocol = 'gt06';
  private state: 'awaitingLogin' | 'online' | 'refused' = 'awaitingLogin';
  private timeZoneOffsetMinutes = 0;
  private serial = 0;
  /** When each recent 0x19 (by serial and alarm code) first arrived, so that its resends are duplicates. */
  private readonly lbsAlarmTimes = new Map<string, number>();

  constructor(link: Link, ctx: SessionContext) {
    super(link, ctx, createGt06Splitter());
  }

  protected handle(frame: Buffer, receivedAt: number): Promise<void> | void {
    const device = this.device;
    const message = decodeGt06(frame, {
      uniqueId: device?.uniqueId ?? '',
      timeZoneOffsetMinutes: this.timeZoneOffsetMinutes,
      lenient: (device?.lenient ?? false) || this.ctx.options.lenient,
    });
    if (message instanceof FrameError) {
      this.frameRejected(message.code);
      return;
    }
    this.frameDecoded();
    if (message.lenient) this.ctx.metrics.lenientFrames.inc({ protocol: 'gt06' });
    if (message.name === 'login') return this.login(message, receivedAt);
    if (this.state !== 'online' || !device) {
      this.ctx.metrics.refused.inc({ protocol: 'gt06' });
      return;
    }
    return this.online(device, message, receivedAt);
  }

  encodeCommand(command: QueuedCommand): EncodedCommand {
    const text = commandText(command);
    if (text === null) return { error: `command type '${command.type}' is not supported by GT06 terminals, or its text is missing` };
    // The server flag is the command id: unique across sessions and processes, echoed in 0x15/0x21.
    const serverFlag = command.id % 0x1_0000_0000;
    try {
      const utf16 = !/^[\x20-\x7e]*$/.test(text);
      return { correlation: serverFlag, frame: encodeGt06.command(serverFlag, text, this.nextSerial(), { utf16 }) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private online(device: DeviceRecord, message: Gt06Message, receivedAt: number): Promise<void> | void {
    switch (message.name) {
      case 'location':
      case 'alarm':
        this.storeThenAck(device, [message.position], receivedAt, () => this.ackFrame(message));
        return;
      case 'lbsAlarm':
        return this.lbsAlarm(device, message, receivedAt);
      case 'commandReply':
        this.ctx.commandReply(device, message.serverFlag, message.text);
        return;
      case 'timeRequest':
        this.send(encodeGt06.timeResponse(new Date(), message.serial), receivedAt);
        return;
      default: {
        // Heartbeats carry nothing to store: answered at once.
        const ack = this.ackFrame(message);
        if (ack) this.send(ack, receivedAt);
      }
    }
  }

  /**
   * 0x19 has an alarm but no fix and no time: stored at the last known place, or at (0, 0) when the device
   * never had a fix, marked invalid, then acknowledged, so it is not lost. Its time is when it first arrived;
   * a resend on this connection (same serial and alarm) gets the same time, so it is stored once.
   */
  private async lbsAlarm(device: DeviceRecord, message: Gt06LbsAlarm, receivedAt: number): Promise<void> {
    const key = `${message.serial}:${message.alarmCode}`;
    let fixTimeMs = this.lbsAlarmTimes.get(key);
    if (fixTimeMs === undefined) {
      fixTimeMs = Date.now();
      if (this.lbsAlarmTimes.size >= LBS_ALARMS_REMEMBERED) this.lbsAlarmTimes.delete(this.lbsAlarmTimes.keys().next().value!);
      this.lbsAlarmTimes.set(key, fixTimeMs);
    }
    const last = await this.ctx.lastPosition(device);
    const position: Position = {
      // At (0, 0) when the device never had a fix.
      ...(last ?? positionWithoutFix(device.uniqueId, fixTimeMs)),
      uniqueId: device.uniqueId,
      fixTimeMs,
      speedKmh: 0,
      valid: false,
      alarms: message.alarms,
      attributes: { ...message.attributes, alarmCode: message.alarmCode, lbsOnly: true },
    };
    this.storeThenAck(device, [position], receivedAt, () => this.ackFrame(message));
  }

  private async login(message: Gt06Login, receivedAt: number): Promise<void> {
    const device = await this.ctx.devices.resolve(message.imei, 'gt06');
    if (!device) {
      this.state = 'refused';
      this.ctx.metrics.refused.inc({ protocol: 'gt06' });
      return;
    }
    this.timeZoneOffsetMinutes = message.timeZoneOffsetMinutes ?? device.timeZoneOffsetMinutes ?? 0;
    this.state = 'online';
    this.attach(device);
    this.send(encodeGt06.ack(message.type, message.serial), receivedAt);
  }

  private ackFrame(message: Gt06Message): Buffer | null {
    return gt06NeedsAck(message) ? encodeGt06.ack(message.type, message.serial) : null;
  }

  private nextSerial(): number {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    return serial;
  }
}
