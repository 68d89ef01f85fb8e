import { encodeJt808, type Jt808Target } from '@urbanlink/protocols';
import type { EncodedCommand } from './session-context.ts';
import type { QueuedCommand } from './store.ts';

/** 0x8300 flag bits: show on the display (bit 2) and read aloud by TTS (bit 3). */
const TEXT_DISPLAY_AND_TTS = 0x04 | 0x08;

function numberParam(params: Record<string, unknown>, name: string, fallback?: number): number {
  const value = params[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RangeError(`'${name}' must be a non-negative integer`);
  return value;
}

/**
 * A queued command as a JT/T 808 downlink. The correlation is the frame's serial: the terminal echoes it
 * as ackSerial in 0x0001 (or 0x0104 / 0x0201 for queries).
 */
export function encodeJt808Command(target: Jt808Target, command: QueuedCommand, serial: number): EncodedCommand {
  const params = command.params;
  try {
    let frame: Buffer;
    switch (command.type) {
      case 'text':
        if (typeof params.text !== 'string' || params.text === '') return { error: "a text command needs 'text'" };
        frame = encodeJt808.text(target, { flag: numberParam(params, 'flag', TEXT_DISPLAY_AND_TTS), text: params.text }, serial);
        break;
      case 'locate':
        frame = encodeJt808.locationQuery(target, serial);
        break;
      case 'tracking':
        frame = encodeJt808.tracking(target, { intervalS: numberParam(params, 'intervalS'), validityS: numberParam(params, 'validityS', 600) }, serial);
        break;
      case 'parameters':
      case 'queryParameters': {
        const ids = params.ids;
        frame = Array.isArray(ids) && ids.length > 0
          ? encodeJt808.querySomeParameters(target, ids.map(Number), serial)
          : encodeJt808.queryParameters(target, serial);
        break;
      }
      case 'control':
        frame = encodeJt808.control(target, { command: numberParam(params, 'command'), params: typeof params.params === 'string' ? params.params : '' }, serial);
        break;
      default:
        return { error: `command type '${command.type}' is not supported by JT/T 808 terminals` };
    }
    return { correlation: serial, frame };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
