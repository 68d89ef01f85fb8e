/**
 * Why a frame could not be decoded. Decoders return a FrameError instead of throwing, so a bad frame
 * costs one allocation and never unwinds the caller's stream loop (the same rule as pg-protocol).
 */
export const FRAME_ERROR_CODES = [
  'short', // a field runs past the end of the frame
  'checksum', // CRC or XOR does not match
  'length', // a length field disagrees with the bytes present
  'marker', // start or stop bytes are wrong
  'unsupported', // a well-formed frame of a message id we do not decode
  'invalid', // a field holds a value outside its domain (bad BCD digit, month 13, …)
] as const;
export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

export class FrameError extends Error {
  readonly code: FrameErrorCode;

  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}
