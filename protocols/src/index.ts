// GT06 and JT/T 808 codecs: frame splitters, decoders, encoders. Pure: no I/O, no clock reads.
export { FrameError, FRAME_ERROR_CODES, type FrameErrorCode } from './frame-error.ts';
export { BufferReader } from './buffer-reader.ts';
export { BufferWriter } from './buffer-writer.ts';
export { crc16X25, xor8 } from './checksum.ts';
export type { FrameSplitter, SplitterStats } from './frame-splitter.ts';
export { isoTime } from './iso-time.ts';
export { ALARMS, positionToJson, positionWithoutFix, type Alarm, type Position, type PositionJson } from './position.ts';
export * from './gt06/index.ts';
export * from './jt808/index.ts';
