import { describe, expect, it } from 'vitest';
import { decodeJt808, FrameError, type Jt808Target } from '@urbanlink/protocols';
import { encodeJt808Command } from '../src/jt808-commands.ts';

const TARGET: Jt808Target = { phone: '013800000001', version: 2013 };

function decoded(type: string, params: Record<string, unknown>, serial = 9) {
  const encoded = encodeJt808Command(TARGET, { id: 1, deviceId: 1, type, params }, serial);
  if ('error' in encoded) throw new Error(encoded.error);
  expect(encoded.correlation).toBe(serial);
  // Strip the 7E markers; these frames need no unescaping (no 7D/7E inside).
  const message = decodeJt808(encoded.frame.subarray(1, -1));
  if (message instanceof FrameError) throw message;
  return message;
}

describe('JT/T 808 downlinks for the API command types', () => {
  it('text → 0x8300 shown and read aloud by default', () => {
    expect(decoded('text', { text: 'go' })).toMatchObject({ name: 'text', flag: 0x0c, text: 'go' });
    expect(decoded('text', { text: 'go', tts: false, urgent: true })).toMatchObject({ flag: 0x05 });
  });

  it('locate, tracking, parameter queries, set parameters, control', () => {
    expect(decoded('locate', {})).toMatchObject({ name: 'locationQuery' });
    expect(decoded('tracking', { intervalS: 5, validityS: 600 })).toMatchObject({ name: 'tracking', intervalS: 5, validityS: 600 });
    expect(decoded('queryParameters', {})).toMatchObject({ name: 'queryParameters' });
    expect(decoded('queryParameters', { ids: [1, 0x13] })).toMatchObject({ name: 'querySomeParameters', ids: [1, 0x13] });
    expect(decoded('setParameters', { parameters: [{ id: 1, value: 10 }] })).toMatchObject({ name: 'setParameters', params: [{ id: 1, value: 10 }] });
    expect(decoded('control', { command: 5 })).toMatchObject({ name: 'control', command: 5 });
  });

  it('refuses what a JT/T 808 terminal cannot do, naming it', () => {
    expect(encodeJt808Command(TARGET, { id: 1, deviceId: 1, type: 'engineStop', params: {} }, 1)).toEqual({
      error: "command type 'engineStop' is not supported by JT/T 808 terminals",
    });
    expect(encodeJt808Command(TARGET, { id: 1, deviceId: 1, type: 'text', params: {} }, 1)).toHaveProperty('error');
  });
});
