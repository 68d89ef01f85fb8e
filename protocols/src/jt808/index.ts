// JT/T 808 (2011/2013/2019) codec, with the JT/T 1078 live video request.
export { createJt808Splitter } from './frame.ts';
export { decodeJt808, decodeJt808Body } from './decode.ts';
export { encodeJt808, type Jt808MediaUploadFields, type Jt808RegisterFields } from './encode.ts';
export { jt808MessageToJson } from './json.ts';
export { jt808TextFlag, type Jt808TextFlagOptions } from './text-flag.ts';
export type { Jt808LocationFields } from './location.ts';
export {
  Jt808Reassembler,
  type Jt808FragmentInput,
  type Jt808ReassemblerOptions,
  type Jt808ReassemblyResult,
  type Jt808ResendAsk,
} from './subpackages.ts';
export {
  ALARM_BITS as JT808_ALARM_BITS,
  JT808_MESSAGE_IDS,
  JT808_MESSAGE_NAMES,
  REGISTER_RESULTS as JT808_REGISTER_RESULTS,
  RESULTS as JT808_RESULTS,
  STATUS_BITS as JT808_STATUS_BITS,
  type Jt808MessageName,
} from './constants.ts';
export type * from './messages.ts';
