import type { DeviceProtocol } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import type { NewCommandBody } from './schemas.ts';

// JT/T 808 0x8300 flag bits: urgent (bit 0), terminal display (bit 2), TTS read-aloud (bit 3).
const URGENT = 0x01;
const DISPLAY = 0x04;
const TTS = 0x08;

/** Which command types each protocol's terminals understand; a device of unknown protocol may get any. */
const SUPPORTED: Record<DeviceProtocol, ReadonlySet<string>> = {
  gt06: new Set(['text', 'locate', 'engineStop', 'engineResume', 'custom']),
  jt808: new Set(['text', 'locate', 'tracking', 'queryParameters', 'setParameters', 'control']),
};

/**
 * The `params` stored with a command, in the names ingest's encoders read (`text` + `flag`, `intervalS`,
 * `ids`, `command`…). Refuses a type the device's protocol cannot carry.
 */
export function commandParams(body: NewCommandBody, protocol: DeviceProtocol | null): Record<string, unknown> {
  if (protocol && !SUPPORTED[protocol].has(body.type)) {
    throw new HttpError(400, `${protocol} terminals do not support '${body.type}' commands`, 'type');
  }
  const { type: _type, expiresInSeconds: _expiry, ...params } = body;
  if (body.type === 'text') {
    const display = body.display ?? true;
    const tts = body.tts ?? true;
    const urgent = body.urgent ?? false;
    return { text: body.text, display, tts, urgent, flag: (urgent ? URGENT : 0) | (display ? DISPLAY : 0) | (tts ? TTS : 0) };
  }
  return params;
}
