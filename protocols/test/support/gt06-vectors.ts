import { readFileSync } from 'node:fs';
import { FrameError, createGt06Splitter, decodeGt06, type Gt06DecodeContext, type Gt06Message } from '@urbanlink/protocols';

export interface Gt06Vector {
  hex: string;
  what: string;
  fields: Record<string, string>;
  /** gt06-quirks.tsv only: how the frame breaks the rules. */
  quirk?: string;
}

/** The gt06 rows of a shared vector file, their `key=value` fields split (values may hold spaces). */
export function loadGt06Vectors(file: 'gt06.tsv' | 'gt06-quirks.tsv'): Gt06Vector[] {
  const text = readFileSync(new URL(`../../../../shared/vectors/${file}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('gt06\t'))
    .map((line) => {
      const [, hex, what, fieldText, quirk] = line.split('\t');
      const fields: Record<string, string> = {};
      for (const match of (fieldText ?? '').matchAll(/(\w+)=(.*?)(?=\s+\w+=|$)/g)) fields[match[1]!] = match[2]!.trim();
      return quirk === undefined ? { hex: hex!, what: what!, fields } : { hex: hex!, what: what!, fields, quirk };
    });
}

/** Fields that are digit strings, not numbers. */
const TEXT_FIELDS = new Set(['imei', 'imsi', 'iccid', 'text', 'command']);

/** `0x01ba` → 442, `6 (answer: …)` → 6, `true` → true, identities and text stay strings. */
export function valueOf(text: string, key = ''): unknown {
  if (TEXT_FIELDS.has(key)) return text;
  const bare = text.replace(/\s*\(.*\)$/, '');
  if (bare === 'true' || bare === 'false') return bare === 'true';
  if (/^(0x[0-9a-f]+|-?\d+(\.\d+)?)$/i.test(bare)) return Number(bare);
  return bare;
}

/** Runs bytes through a fresh splitter and the decoder, as ingest does; copies each frame it keeps. */
export function splitAndDecode(bytes: Buffer, context?: Gt06DecodeContext): (Gt06Message | FrameError)[] {
  const results: (Gt06Message | FrameError)[] = [];
  createGt06Splitter().push(bytes, (frame) => results.push(decodeGt06(frame, context)));
  return results;
}

/** Decodes a hex string that must hold exactly one frame, failing loudly otherwise. */
export function decodeHex(hex: string, context?: Gt06DecodeContext): Gt06Message {
  const results = splitAndDecode(Buffer.from(hex, 'hex'), context);
  if (results.length !== 1) throw new Error(`expected one frame in ${hex}, got ${results.length}`);
  const result = results[0]!;
  if (result instanceof FrameError) throw result;
  return result;
}
