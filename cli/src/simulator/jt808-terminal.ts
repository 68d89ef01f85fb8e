import { FrameError, createJt808Splitter, decodeJt808, encodeJt808, type Jt808Target, type Position } from '@urbanlink/protocols';
import { SimulatedTerminal, type TerminalOptions } from './terminal.ts';

const AUTHENTICATE = 0x0102;
/** 0x0200 status bits: ACC on (bit 0) and located (bit 1). */
const STATUS_ACC_LOCATED = 0x03;

/**
 * A JT/T 808 (2013) terminal: 0x0100 register, 0x0102 authenticate with the code it was given, then 0x0200
 * locations and 0x0002 heartbeats; answers downlinks (0x8300 text, 0x8201 …) with 0x0001.
 */
export class Jt808Terminal extends SimulatedTerminal {
  private readonly target: Jt808Target;
  private authCode: string | null = null;
  private handshakeSerial = -1;
  /** The code was issued by a registration on this connection: if even it is refused, there is no retry. */
  private codeFromThisConnection = false;

  constructor(options: TerminalOptions) {
    super(options, createJt808Splitter());
    this.target = { phone: options.uniqueId.padStart(12, '0'), version: 2013 };
  }

  protected handshake(): void {
    this.codeFromThisConnection = false;
    // A terminal that already holds a code authenticates directly, as real ones do after a reconnect.
    if (this.authCode) {
      this.authenticate();
      return;
    }
    this.handshakeSerial = this.nextSerial();
    this.write(
      encodeJt808.register(
        this.target,
        { provinceId: 51, cityId: 100, manufacturerId: 'URBAN', terminalModel: 'SIM-808', terminalId: this.options.uniqueId.slice(-7), plateColor: 1, plate: 'SIM' },
        this.handshakeSerial,
      ),
    );
  }

  protected locationFrame(position: Position, serial: number): Buffer {
    return encodeJt808.location(
      this.target,
      { status: STATUS_ACC_LOCATED, lat: position.lat, lon: position.lon, altitudeM: position.altitudeM, speedKmh: position.speedKmh, course: position.course, fixTimeMs: position.fixTimeMs },
      serial,
    );
  }

  protected heartbeatFrame(serial: number): Buffer {
    return encodeJt808.heartbeat(this.target, serial);
  }

  protected onFrame(frame: Buffer): void {
    const message = decodeJt808(frame);
    if (message instanceof FrameError) return;
    switch (message.name) {
      case 'registerAck':
        if (message.ackSerial !== this.handshakeSerial) return;
        if (message.result !== 0 || !message.authCode) {
          this.refused();
          return;
        }
        this.authCode = message.authCode;
        this.codeFromThisConnection = true;
        this.authenticate();
        return;
      case 'platformAck':
        if (message.ackId === AUTHENTICATE && message.ackSerial === this.handshakeSerial) {
          if (message.result === 0) this.online();
          else if (this.codeFromThisConnection) this.refused();
          else {
            // A code kept from an earlier connection is no longer accepted (the device was re-registered, the
            // server's data reset): a real terminal registers again from scratch for a new one.
            this.authCode = null;
            this.handshake();
          }
          return;
        }
        if (message.result === 0) this.acknowledged(message.ackSerial);
        return;
      case 'text':
      case 'locationQuery':
      case 'tracking':
      case 'control':
      case 'queryParameters':
        this.options.stats.commandsReceived++;
        this.write(encodeJt808.terminalResponse(this.target, { ackSerial: message.header.serial, ackId: message.header.id, result: 0 }, this.nextSerial()));
        return;
      default:
    }
  }

  private authenticate(): void {
    this.handshakeSerial = this.nextSerial();
    this.write(encodeJt808.authenticate(this.target, { authCode: this.authCode! }, this.handshakeSerial));
  }
}
