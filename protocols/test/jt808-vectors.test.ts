import { describe, expect, it } from 'vitest';
import { encodeJt808, type Jt808Message } from '@urbanlink/protocols';
import { decodeOne } from './support/jt808-frames.ts';
import { loadJt808Vectors, noteOf, numberOf } from './support/jt808-vectors.ts';

const vectors = loadJt808Vectors();

/** Where each vector field lives in a decoded message. */
function actual(message: Jt808Message, key: string): unknown {
  const m = message as unknown as Record<string, unknown>;
  const position = 'position' in message ? message.position : undefined;
  switch (key) {
    case 'phone':
      return message.header.uniqueId;
    case 'serial':
      return message.header.serial;
    case 'version':
      return message.header.version;
    case 'alarm':
    case 'status':
      return position?.attributes[key];
    case 'lat':
    case 'lon':
    case 'speedKmh':
    case 'course':
      return position?.[key];
    case 'altitude':
      return position?.altitudeM;
    case 'time':
      return position && new Date(position.fixTimeMs).toISOString().replace('.000', '');
    case 'mileageKm':
      return position?.odometerKm;
    case 'fuelL':
      return position?.fuelL;
    case 'type':
      return message.name === 'text' ? m.textType : m.mediaType;
    case 'params':
      return (m.params as { id: number; value: unknown }[]).map((p) => `0x${p.id.toString(16).padStart(4, '0')}:${p.value}`).join(',');
    default:
      return m[key];
  }
}

function expected(key: string, value: string): unknown {
  if (['phone', 'authCode', 'text', 'ip', 'params'].includes(key)) return value;
  if (key === 'time') return value;
  return numberOf(value);
}

describe('jt808 vectors decode to their fields', () => {
  for (const vector of vectors) {
    it(vector.what, () => {
      const message = decodeOne(Buffer.from(vector.hex, 'hex'));
      for (const [key, value] of Object.entries(vector.fields)) {
        expect(actual(message, key), key).toEqual(expected(key, value));
      }
      if (vector.fields.alarm) expect(message).toMatchObject({ position: { alarms: [noteOf(vector.fields.alarm)] } });
      if (vector.fields.status) {
        expect(message).toMatchObject({ position: { valid: true, attributes: { statusFlags: [noteOf(vector.fields.status)] } } });
      }
    });
  }
});

/** Re-encodes a vector from its fields alone (plus the frame's header as target and serial). */
function encodeFromFields(message: Jt808Message, f: Record<string, string>): Buffer {
  const target = message.header;
  const serial = f.serial !== undefined ? numberOf(f.serial) : target.serial;
  const n = (key: string) => numberOf(f[key]!);
  switch (message.name) {
    case 'location':
      return encodeJt808.location(
        target,
        {
          alarm: n('alarm'),
          status: n('status'),
          lat: n('lat'),
          lon: n('lon'),
          altitudeM: n('altitude'),
          speedKmh: n('speedKmh'),
          course: n('course'),
          fixTimeMs: Date.parse(f.time!),
          items: [
            { id: 0x01, value: n('mileageKm') },
            { id: 0x02, value: n('fuelL') },
          ],
        },
        serial,
      );
    case 'heartbeat':
      return encodeJt808.heartbeat(target, serial);
    case 'terminalResponse':
      return encodeJt808.terminalResponse(target, { ackSerial: n('ackSerial'), ackId: n('ackId'), result: n('result') }, serial);
    case 'platformAck':
      return encodeJt808.platformAck(target, n('ackSerial'), n('ackId'), n('result') as 0, serial);
    case 'registerAck':
      return encodeJt808.registerAck(target, n('ackSerial'), n('result') as 0, f.authCode!, serial);
    case 'authenticate':
      return encodeJt808.authenticate(target, { authCode: f.authCode! }, serial);
    case 'setParameters': {
      const [id, value] = f.params!.split(':');
      return encodeJt808.setParameters(target, [{ id: Number(id), value: Number(value) }], serial);
    }
    case 'text':
      return encodeJt808.text(target, { flag: n('flag'), text: f.text!, ...(f.type ? { textType: n('type') } : {}) }, serial);
    case 'control':
      return encodeJt808.control(target, { command: n('command') }, serial);
    case 'liveVideo':
      return encodeJt808.liveVideo(
        target,
        { ip: f.ip!, tcpPort: n('tcpPort'), udpPort: n('udpPort'), channel: n('channel'), dataType: n('dataType'), stream: n('stream') },
        serial,
      );
    case 'tracking':
      return encodeJt808.tracking(target, { intervalS: n('intervalS'), validityS: n('validityS') }, serial);
    case 'mediaEvent':
      return encodeJt808.mediaEvent(
        target,
        { mediaId: n('mediaId'), mediaType: n('type'), format: n('format'), event: n('event'), channel: n('channel') },
        serial,
      );
    default:
      throw new Error(`no encoder mapping for ${message.name}`);
  }
}

describe('jt808 encoders reproduce every vector byte for byte', () => {
  for (const vector of vectors) {
    it(vector.what, () => {
      const message = decodeOne(Buffer.from(vector.hex, 'hex'));
      expect(encodeFromFields(message, vector.fields).toString('hex')).toBe(vector.hex);
    });
  }
});
