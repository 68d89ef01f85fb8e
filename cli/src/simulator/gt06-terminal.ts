import { FrameError, createGt06Splitter, decodeGt06, encodeGt06, type Position } from '@urbanlink/protocols';
import { SimulatedTerminal, type TerminalOptions } from './terminal.ts';

const LOGIN = 0x01;
const SHORT_ACK_LENGTH = 10;

/** A GT06 tracker: login with its IMEI, 0x12 locations, 0x13 heartbeats; answers 0x80 commands with 0x15. */
export class Gt06Terminal extends SimulatedTerminal {
  private loginSerial = -1;

  constructor(options: TerminalOptions) {
    super(options, createGt06Splitter());
  }

  protected handshake(): void {
    this.loginSerial = this.nextSerial();
    this.write(encodeGt06.login(this.options.uniqueId, this.loginSerial, { typeId: 0x100b, timeZoneOffsetMinutes: 0 }));
  }

  protected locationFrame(position: Position, serial: number): Buffer {
    return encodeGt06.location(position, serial);
  }

  protected heartbeatFrame(serial: number): Buffer {
    return encodeGt06.heartbeat({ terminalInfo: 0x46, voltageLevel: 6, gsmSignal: 4 }, serial);
  }

  protected onFrame(frame: Buffer): void {
    // The server's short ack (78 78 05 TYPE SERIAL CRC 0D 0A) has no body for the decoder to read.
    if (frame.length === SHORT_ACK_LENGTH && frame[2] === 0x05) {
      const type = frame[3]!;
      const serial = frame.readUInt16BE(4);
      if (type === LOGIN && serial === this.loginSerial) this.online();
      else this.acknowledged(serial);
      return;
    }
    const message = decodeGt06(frame, { uniqueId: this.options.uniqueId });
    if (message instanceof FrameError) return;
    if (message.name === 'serverCommand') {
      this.options.stats.commandsReceived++;
      const reply = `OK: ${message.command}`;
      // An ASCII reply goes as 0x15; a Chinese dispatch order's echo needs the UTF-16 form (0x21).
      const utf16 = !/^[\x00-\x7f]*$/.test(reply);
      this.write(encodeGt06.commandReply(message.serverFlag, reply, this.nextSerial(), { utf16 }));
      return;
    }
  }
}
