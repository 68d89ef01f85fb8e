import { crc16X25 } from '@urbanlink/protocols';

/** A `78 78` frame around any protocol number and body, with a correct CRC: for frames no encoder makes. */
export function gt06Frame(type: number, bodyHex: string, serial: number): Buffer {
  const body = Buffer.from(bodyHex, 'hex');
  const frame = Buffer.alloc(3 + 1 + body.length + 4 + 2);
  frame[0] = 0x78;
  frame[1] = 0x78;
  frame[2] = body.length + 5;
  frame[3] = type;
  body.copy(frame, 4);
  frame.writeUInt16BE(serial, 4 + body.length);
  frame.writeUInt16BE(crc16X25(frame, 2, 6 + body.length), 6 + body.length);
  frame[frame.length - 2] = 0x0d;
  frame[frame.length - 1] = 0x0a;
  return frame;
}

export { seededRandom } from './seeded-random.ts';

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
