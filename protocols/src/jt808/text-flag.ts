import type { Jt808HeaderVersion } from './messages.ts';

export interface Jt808TextFlagOptions {
  /** 2013: bit 0. 2019: bits 0–1 = 10 (otherwise 01 service, or 11 with `notice`). */
  urgent?: boolean;
  /** 2019 only: bits 0–1 = 11. */
  notice?: boolean;
  /** Bit 2: show on the terminal's display. */
  display?: boolean;
  /** Bit 3: read aloud by the terminal's TTS. */
  tts?: boolean;
  /** 2013 only, bit 4: the advertising screen (2019 dropped it). */
  adScreen?: boolean;
  /** Bit 5: 1 CAN fault code text, 0 navigation text from the centre. */
  canFaultCode?: boolean;
}

/** The 0x8300 flag byte (2013 table 38; 2019 moved urgency into a two-bit kind). */
export function jt808TextFlag(options: Jt808TextFlagOptions, version: Jt808HeaderVersion): number {
  let flag = (options.display ? 1 << 2 : 0) | (options.tts ? 1 << 3 : 0) | (options.canFaultCode ? 1 << 5 : 0);
  if (version === 2019) flag |= options.urgent ? 0b10 : options.notice ? 0b11 : 0b01;
  else flag |= (options.urgent ? 1 : 0) | (options.adScreen ? 1 << 4 : 0);
  return flag;
}
