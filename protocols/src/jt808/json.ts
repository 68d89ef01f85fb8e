import { positionToJson } from '../position.ts';
import type { Jt808Message } from './messages.ts';

const SKIPPED = new Set(['protocol', 'type', 'header', 'position', 'positions']);

/** CONTRACT's `urbanlink decode` shape: type as a hex string, deviceId the uniqueId, bytes as hex. */
export function jt808MessageToJson(message: Jt808Message): Record<string, unknown> {
  const { header } = message;
  const json: Record<string, unknown> = {
    protocol: 'jt808',
    type: `0x${message.type.toString(16).padStart(4, '0')}`,
    serial: header.serial,
    deviceId: header.uniqueId,
    phone: header.phone,
    version: header.version,
  };
  if (header.subpackage) json.subpackage = header.subpackage;
  for (const [key, value] of Object.entries(message)) {
    if (!SKIPPED.has(key)) json[key] = toJson(value);
  }
  if ('position' in message) json.position = positionToJson(message.position);
  if ('positions' in message) json.positions = message.positions.map(positionToJson);
  return json;
}

function toJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJson(inner)]));
  }
  return value;
}
