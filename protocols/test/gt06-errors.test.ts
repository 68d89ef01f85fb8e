import { describe, expect, it } from 'vitest';
import { FrameError, decodeGt06, encodeGt06 } from '@urbanlink/protocols';
import { gt06Frame } from './support/gt06-frames.ts';

function refusal(frame: Buffer, lenient = false): { code: string; message: string } {
  const result = decodeGt06(frame, { lenient });
  if (!(result instanceof FrameError)) throw new Error(`expected a FrameError, decoded ${result.name}`);
  return { code: result.code, message: result.message };
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const LOCATION_BODY = '0b081d112e10cc027ac7eb0c46584900148f01cc00287d001fb8';

describe('GT06 decode error texts', () => {
  it('names a frame too short to hold anything', () => {
    expect(refusal(hex('78780d01 0d0a'))).toEqual({ code: 'short', message: 'frame too short: 6 byte(s), at least 10 needed' });
  });

  it('names wrong start and stop markers', () => {
    expect(refusal(hex('7879 05 13 0001 0000 0d0a'))).toEqual({
      code: 'marker',
      message: 'bad start marker 7879, expected 7878 or 7979',
    });
    expect(refusal(hex('7878 05 13 0001 0000 0d0d'))).toEqual({ code: 'marker', message: 'bad stop marker 0d0d, expected 0d0a' });
  });

  it('names a length field that disagrees with the bytes present, lenient or not', () => {
    const expected = { code: 'length', message: 'length field says 6 byte(s) but 5 follow' };
    expect(refusal(hex('7878 06 13 0001 0000 0d0a'))).toEqual(expected);
    expect(refusal(hex('7878 06 13 0001 0000 0d0a'), true)).toEqual(expected);
  });

  it('names a CRC mismatch with both values', () => {
    expect(refusal(hex('787805010001d9dd0d0a'))).toEqual({
      code: 'checksum',
      message: 'CRC mismatch: frame says 0xd9dd, computed 0xd9dc',
    });
  });

  it('names an unknown protocol number, and a known one whose body fits no layout', () => {
    expect(refusal(encodeGt06.ack(0x99, 1))).toEqual({ code: 'unsupported', message: 'protocol number 0x99 is not supported' });
    expect(refusal(gt06Frame(0x12, LOCATION_BODY.slice(0, -2), 3))).toEqual({
      code: 'length',
      message: 'protocol number 0x12: no layout has a body of 25 byte(s)',
    });
  });

  it('names the field that ran short, a bad BCD digit, a bad date and bytes left over', () => {
    expect(refusal(gt06Frame(0x01, '012345', 1))).toEqual({
      code: 'short',
      message: 'frame too short reading IMEI: needs 8 byte(s) at offset 4, 3 left',
    });
    expect(refusal(gt06Frame(0x01, '01234567890123a5', 1))).toEqual({ code: 'invalid', message: 'IMEI: byte 0xa5 is not BCD' });
    expect(refusal(gt06Frame(0x12, '0b0d1d112e10' + LOCATION_BODY.slice(12), 3))).toEqual({
      code: 'invalid',
      message: 'time: 11-13-29 17:46:16 is not a date',
    });
    expect(refusal(gt06Frame(0x13, '400404000100', 1))).toEqual({
      code: 'length',
      message: 'protocol number 0x13: 1 byte(s) left after the body',
    });
    expect(refusal(gt06Frame(0x21, '0000000003414243', 1))).toEqual({
      code: 'invalid',
      message: 'encoding: 3 is neither 1 (ASCII) nor 2 (UTF-16BE)',
    });
  });
});

describe('GT06 encoder edges', () => {
  it('rounds a fractional heading to the whole degrees the wire carries', () => {
    const position = {
      uniqueId: '', fixTimeMs: Date.UTC(2026, 0, 1), lat: -1.5, lon: -2.5, altitudeM: 0, speedKmh: 12.4, course: 359.6,
      valid: true, satellites: 7, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {},
    };
    const decoded = decodeGt06(encodeGt06.location(position, 1));
    expect(decoded).toMatchObject({ name: 'location', position: { course: 0, speedKmh: 12, lat: -1.5, lon: -2.5 } });
  });
});

describe('GT06 encoder refusals', () => {
  it('refuses bad values before writing anything', () => {
    expect(() => encodeGt06.ack(0x01, 70000)).toThrow('serial must be an integer from 0 to 65535, got 70000');
    expect(() => encodeGt06.login('12345', 1)).toThrow('imei must be 15 or 16 digits, got "12345"');
    expect(() => encodeGt06.command(0, 'x'.repeat(252), 1)).toThrow('command text must be 1 to 251 bytes, got 252');
    expect(() => encodeGt06.command(0, '断油', 1)).toThrow('command must be printable ASCII, got "断油"');
    expect(() => encodeGt06.login('123456789012345', 1, { timeZoneOffsetMinutes: 14 * 60 })).toThrow(
      'timeZoneOffsetMinutes must be an integer from -765 to 765, got 840',
    );
  });
});
