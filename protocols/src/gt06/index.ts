// GT06 (Concox) codec: frame splitter, decoder, encoders. Pure: no I/O, no clock reads.
export { createGt06Splitter } from './frame.ts';
export { decodeGt06, type Gt06DecodeContext } from './decode.ts';
export { encodeGt06, type Gt06LocationOptions } from './encode.ts';
export { gt06MessageToJson, gt06NeedsAck } from './json.ts';
export {
  GT06_ALARM_CODES,
  GT06_ENGINE_RESUME_COMMAND,
  GT06_ENGINE_STOP_COMMAND,
  GT06_TYPES,
  GT06_TYPE_NAMES,
  type Gt06TypeName,
} from './constants.ts';
export { LAYOUTS as GT06_LAYOUTS, LENGTH_QUIRKS as GT06_LENGTH_QUIRKS } from './layouts.ts';
export type {
  Gt06Alarm,
  Gt06CommandReply,
  Gt06Heartbeat,
  Gt06Information,
  Gt06LbsAlarm,
  Gt06Location,
  Gt06Login,
  Gt06Message,
  Gt06MessageName,
  Gt06ServerCommand,
  Gt06Status,
  Gt06TimeRequest,
  Gt06TimeResponse,
} from './messages.ts';
