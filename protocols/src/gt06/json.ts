import { positionToJson } from '../position.ts';
import type { Gt06Message } from './messages.ts';

const hex = (value: number, digits: number): string => '0x' + value.toString(16).padStart(digits, '0');

/** +08:00 / -03:30, as the contract writes zones. */
export function formatTimeZone(offsetMinutes: number): string {
  const magnitude = Math.abs(offsetMinutes);
  const hours = String(Math.floor(magnitude / 60)).padStart(2, '0');
  const minutes = String(magnitude % 60).padStart(2, '0');
  return `${offsetMinutes < 0 ? '-' : '+'}${hours}:${minutes}`;
}

function body(message: Gt06Message): Record<string, unknown> {
  switch (message.name) {
    case 'login': {
      const json: Record<string, unknown> = { deviceId: message.imei, imei: message.imei };
      if (message.typeId !== null) json.typeId = hex(message.typeId, 4);
      if (message.timeZoneOffsetMinutes !== undefined) json.timezone = formatTimeZone(message.timeZoneOffsetMinutes);
      return json;
    }
    case 'heartbeat':
      return {
        terminalInfo: hex(message.terminalInfo, 2),
        voltageLevel: message.voltageLevel,
        gsmSignal: message.gsmSignal,
        language: message.language,
      };
    case 'location':
      return { position: positionToJson(message.position) };
    case 'alarm':
      return { alarmCode: hex(message.alarmCode, 2), position: positionToJson(message.position) };
    case 'lbsAlarm':
      return { alarmCode: hex(message.alarmCode, 2), alarms: message.alarms, attributes: message.attributes };
    case 'commandReply':
      return { serverFlag: message.serverFlag, text: message.text, encoding: message.encoding };
    case 'serverCommand':
      return { serverFlag: message.serverFlag, command: message.command };
    case 'information':
      return { subType: hex(message.subType, 2), ...message.attributes };
    case 'timeRequest':
      return {};
    case 'timeResponse':
      return { time: new Date(message.timeMs).toISOString() };
  }
}

/** The `urbanlink decode` line of one message (CONTRACT.md): protocol, type as hex, serial, then its fields. */
export function gt06MessageToJson(message: Gt06Message): Record<string, unknown> {
  const json: Record<string, unknown> = {
    protocol: 'gt06',
    type: hex(message.type, 2),
    name: message.name,
    serial: message.serial,
    ...body(message),
  };
  if (message.lenient) json.lenient = true;
  return json;
}

/** Messages the server answers with the short ack (CONTRACT.md "Terminal behaviour"), after storing them. */
export function gt06NeedsAck(message: Gt06Message): boolean {
  switch (message.name) {
    case 'login':
    case 'heartbeat':
    case 'location':
    case 'alarm':
    case 'lbsAlarm':
      return true;
    default:
      return false;
  }
}
