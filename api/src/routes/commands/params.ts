import { encodeGt06, encodeJt808, type Jt808Target } from '@urbanlink/protocols';
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
  jt808: new Set(['text', 'locate', 'tracking', 'queryParameters', 'setParameters', 'control', 'custom']),
};

/** A 2019 header: its 0x8300 body has a byte more than 2013's, so what fits here fits every terminal. */
const JT808_PROBE: Jt808Target = { phone: '0', version: 2019 };

/**
 * Encodes the command with the codec the terminal's downlink will use, only to learn what cannot go out
 * (text longer than one frame, a parameter value of the wrong kind) while the caller can still be told
 * which field; ingest would otherwise end the command `failed` after it was accepted.
 */
function checkEncodable(body: NewCommandBody, protocol: DeviceProtocol): void {
  let field: string;
  let encode: () => unknown;
  if (protocol === 'gt06' && (body.type === 'text' || body.type === 'custom') && body.text !== undefined) {
    const text = body.text;
    field = 'text';
    encode = () => encodeGt06.command(0, text, 0, { utf16: !/^[\x20-\x7e]*$/.test(text) });
  } else if (protocol === 'jt808' && body.type === 'text') {
    field = 'text';
    encode = () => encodeJt808.text(JT808_PROBE, { flag: 0, text: body.text }, 0);
  } else if (protocol === 'jt808' && body.type === 'setParameters') {
    field = 'parameters';
    encode = () => encodeJt808.setParameters(JT808_PROBE, body.parameters, 0);
  } else return;
  try {
    encode();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new HttpError(400, `${field} cannot be sent to ${protocol} terminals: ${error.message}`, field);
  }
}

/**
 * A custom command is GT06 text or a JT/T 808 message (`messageId`, `bodyHex`), never both; a device of unknown
 * protocol may get either form.
 */
function checkCustomForm(body: Extract<NewCommandBody, { type: 'custom' }>, protocol: DeviceProtocol | null): void {
  const raw = body.messageId !== undefined || body.bodyHex !== undefined;
  if (body.text !== undefined && raw) throw new HttpError(400, 'a custom command is either text (GT06) or messageId and bodyHex (JT/T 808)', 'text');
  if (protocol === 'gt06' && raw) throw new HttpError(400, 'GT06 custom commands are text; messageId and bodyHex are JT/T 808', body.messageId !== undefined ? 'messageId' : 'bodyHex');
  if (protocol === 'jt808' && body.text !== undefined) throw new HttpError(400, 'JT/T 808 custom commands are a messageId and bodyHex, not text', 'text');
  if (body.text === undefined && body.messageId === undefined) {
    throw new HttpError(400, protocol === 'gt06' ? 'a GT06 custom command needs text' : 'a custom command needs messageId (JT/T 808) or text (GT06)', protocol === 'gt06' ? 'text' : 'messageId');
  }
}

/**
 * The `params` stored with a command, in the names ingest's encoders read (`text` + `flag`, `intervalS`,
 * `ids`, `command`…). Refuses a type the device's protocol cannot carry, and content its frames cannot hold.
 */
export function commandParams(body: NewCommandBody, protocol: DeviceProtocol | null): Record<string, unknown> {
  if (protocol && !SUPPORTED[protocol].has(body.type)) {
    throw new HttpError(400, `${protocol} terminals do not support '${body.type}' commands`, 'type');
  }
  if (body.type === 'custom') checkCustomForm(body, protocol);
  if (protocol) checkEncodable(body, protocol);
  const { type: _type, expiresInSeconds: _expiry, ...params } = body;
  if (body.type === 'text') {
    const display = body.display ?? true;
    const tts = body.tts ?? true;
    const urgent = body.urgent ?? false;
    return { text: body.text, display, tts, urgent, flag: (urgent ? URGENT : 0) | (display ? DISPLAY : 0) | (tts ? TTS : 0) };
  }
  return params;
}
