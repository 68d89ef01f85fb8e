import { encodeJt808, jt808TextFlag, type Jt808Parameter, type Jt808Target } from '@urbanlink/protocols';
import type { EncodedCommand } from './session-context.ts';
import type { QueuedCommand } from './store.ts';

function numberParam(params: Record<string, unknown>, name: string, fallback?: number): number {
  const value = params[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RangeError(`'${name}' must be a non-negative integer`);
  return value;
}

/** A custom command's platform message id (0x8000–0xFFFF: the platform's side of the id space). */
function customMessageId(params: Record<string, unknown>): number {
  const id = params.messageId;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0x8000 || id > 0xffff) throw new RangeError("'messageId' must be a platform message id, 0x8000 to 0xFFFF");
  return id;
}

/** A custom command's body, sent as is: the frame adds header, check byte and escaping. */
function customBody(params: Record<string, unknown>): Buffer {
  const hex = params.bodyHex ?? '';
  if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex)) throw new RangeError("'bodyHex' must be hex, two digits a byte");
  return Buffer.from(hex, 'hex');
}

/** The API's `setParameters` list: numbers and strings, typed by the codec's parameter table. */
function parameters(params: Record<string, unknown>): Jt808Parameter[] {
  const list = params.parameters;
  if (!Array.isArray(list) || list.length === 0) throw new RangeError("'parameters' must be a non-empty list");
  return list.map((entry: { id?: unknown; value?: unknown }) => {
    if (typeof entry.id !== 'number' || (typeof entry.value !== 'number' && typeof entry.value !== 'string')) {
      throw new RangeError('each parameter needs a numeric id and a number or text value');
    }
    return { id: entry.id, value: entry.value };
  });
}

/**
 * A queued command (as the API stores it: `type` and its fields in `params`) as a JT/T 808 downlink. The correlation is the frame's serial: the terminal echoes it
 * as ackSerial in 0x0001 (or 0x0104 / 0x0201 for queries).
 */
export function encodeJt808Command(target: Jt808Target, command: QueuedCommand, serial: number): EncodedCommand {
  const params = command.params;
  try {
    let frame: Buffer;
    switch (command.type) {
      case 'text':
        if (typeof params.text !== 'string' || params.text === '') return { error: "a text command needs 'text'" };
        frame = encodeJt808.text(
          target,
          {
            // The API's defaults: shown on the display and read aloud, not urgent.
            flag: jt808TextFlag({ display: params.display !== false, tts: params.tts !== false, urgent: params.urgent === true }, target.version),
            text: params.text,
          },
          serial,
        );
        break;
      case 'locate':
        frame = encodeJt808.locationQuery(target, serial);
        break;
      case 'tracking':
        frame = encodeJt808.tracking(target, { intervalS: numberParam(params, 'intervalS'), validityS: numberParam(params, 'validityS', 600) }, serial);
        break;
      case 'queryParameters': {
        const ids = params.ids;
        frame = Array.isArray(ids) && ids.length > 0
          ? encodeJt808.querySomeParameters(target, ids.map(Number), serial)
          : encodeJt808.queryParameters(target, serial);
        break;
      }
      case 'setParameters':
        frame = encodeJt808.setParameters(target, parameters(params), serial);
        break;
      case 'control':
        frame = encodeJt808.control(target, { command: numberParam(params, 'command'), params: typeof params.params === 'string' ? params.params : '' }, serial);
        break;
      case 'custom':
        frame = encodeJt808.frame(target, customMessageId(params), customBody(params), serial);
        break;
      default:
        return { error: `command type '${command.type}' is not supported by JT/T 808 terminals` };
    }
    return { correlation: serial, frame };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
