import { readFileSync } from 'node:fs';

export interface Jt808Vector {
  hex: string;
  what: string;
  fields: Record<string, string>;
}

/** The jt808 rows of shared/vectors/jt808.tsv, their `key=value` fields split (values may hold spaces). */
export function loadJt808Vectors(): Jt808Vector[] {
  const text = readFileSync(new URL('../../../../shared/vectors/jt808.tsv', import.meta.url), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('jt808\t'))
    .map((line) => {
      const [, hex, what, fieldText] = line.split('\t');
      const fields: Record<string, string> = {};
      for (const match of (fieldText ?? '').matchAll(/(\w+)=(.*?)(?=\s+\w+=|$)/g)) fields[match[1]!] = match[2]!.trim();
      return { hex: hex!, what: what!, fields };
    });
}

/** `1(sos)` → 1 and 'sos'; `0x0002` → 2; `5 (factory reset)` → 5. */
export function numberOf(value: string): number {
  return Number(value.replace(/\s*\(.*\)$/, ''));
}

export function noteOf(value: string): string | undefined {
  return /\((.*)\)$/.exec(value)?.[1];
}
