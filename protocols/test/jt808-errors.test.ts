import { describe, expect, it } from 'vitest';
import { FrameError, decodeJt808, xor8 } from '@urbanlink/protocols';

/** Unescaped frame content from hex, with its check byte appended. */
function content(hex: string): Buffer {
  const bytes = Buffer.from(hex.replace(/\s/g, ''), 'hex');
  return Buffer.concat([bytes, Buffer.from([xor8(bytes)])]);
}

function error(frame: Buffer, lenient = false): FrameError {
  const result = decodeJt808(frame, { lenient });
  expect(result).toBeInstanceOf(FrameError);
  return result as FrameError;
}

describe('jt808 decode errors are values with pinned texts', () => {
  it('rejects a frame below the minimum size', () => {
    expect(error(Buffer.from('0002000001', 'hex'))).toMatchObject({ code: 'short', message: 'frame of 5 byte(s) is shorter than the 13-byte minimum' });
  });

  it('rejects a wrong check byte', () => {
    const frame = Buffer.from('00020000040021679287002b7f', 'hex');
    expect(error(frame)).toMatchObject({ code: 'checksum', message: 'check byte 0x7f does not match computed 0x7e' });
  });

  it('rejects a body attribute that disagrees with the bytes, unless lenient', () => {
    const frame = content('0002 0002 040021679287 002b');
    expect(error(frame)).toMatchObject({ code: 'length', message: 'body attribute says 2 byte(s), frame carries 0' });
    expect(decodeJt808(frame, { lenient: true })).toMatchObject({ name: 'heartbeat' });
  });

  it('names the field a short body runs out in', () => {
    expect(error(content('0001 0003 012345678900 0001 03e8 00'))).toMatchObject({
      code: 'short',
      message: 'frame too short reading ackId: needs 2 byte(s) at offset 14, 1 left',
    });
  });

  it('rejects a phone that is not BCD', () => {
    expect(error(content('0002 0000 0123456789ab 0001'))).toMatchObject({ code: 'invalid', message: 'terminal phone: byte 0xab is not BCD' });
  });

  it('rejects a location time that is not a date, unless lenient', () => {
    const body = '00000000 00000002 00ba7f0e 07e4f11c 0028 003c 0000 241305101010';
    const frame = content(`0200 001c 012345678900 0001 ${body}`);
    expect(error(frame)).toMatchObject({ code: 'invalid', message: 'time 241305101010 is not a date' });
    expect(decodeJt808(frame, { lenient: true })).toMatchObject({ name: 'location' });
  });

  it('checks the time of day after a fix on the same date was read', () => {
    // The start of the last date read is remembered; the hours, minutes and seconds must still be checked.
    const location = (time: string) => content(`0200 001c 012345678900 0001 00000000 00000002 00ba7f0e 07e4f11c 0028 003c 0000 ${time}`);
    expect(decodeJt808(location('181015101010'))).toMatchObject({ position: { fixTimeMs: Date.parse('2018-10-15T02:10:10Z') } });
    expect(decodeJt808(location('181015235959'))).toMatchObject({ position: { fixTimeMs: Date.parse('2018-10-15T15:59:59Z') } });
    expect(error(location('181015241010'))).toMatchObject({ code: 'invalid', message: 'time 181015241010 is not a date' });
    expect(error(location('181015106010'))).toMatchObject({ code: 'invalid', message: 'time 181015106010 is not a date' });
    expect(error(location('1810151010a0'))).toMatchObject({ code: 'invalid', message: 'time second: byte 0xa0 is not BCD' });
    // Lenient rolls an impossible time over, as Date.UTC does.
    expect(decodeJt808(location('181015241010'), { lenient: true })).toMatchObject({ position: { fixTimeMs: Date.parse('2018-10-15T16:10:10Z') } });
  });

  it('rejects an item that runs past the body, unless lenient', () => {
    const body = '00000000 00000002 00ba7f0e 07e4f11c 0028 003c 0000 181015101010 01 04 0000';
    const frame = content(`0200 0020 012345678900 0001 ${body}`);
    expect(error(frame)).toMatchObject({ code: 'length', message: 'item 0x01 claims 4 byte(s), 2 left' });
    expect(decodeJt808(frame, { lenient: true })).toMatchObject({ position: { odometerKm: null } });
  });

  it('rejects a subpackage index outside 1..total', () => {
    expect(error(content('0801 2000 012345678900 0001 0003 0000'))).toMatchObject({
      code: 'invalid',
      message: 'subpackage index 0 is outside 1..3',
    });
  });

  it('refuses an encrypted body', () => {
    expect(error(content('0002 0400 012345678900 0001'))).toMatchObject({
      code: 'unsupported',
      message: 'message 0x0002 has an encrypted body (scheme 1)',
    });
  });

  it('rejects a batch item longer than the batch', () => {
    expect(error(content('0704 0005 012345678900 0001 0001 00 0040'))).toMatchObject({
      code: 'length',
      message: 'batch item 1 claims 64 byte(s), 0 left',
    });
  });
});
