import type { BitName } from './constants.ts';

const SLOTS = 256;

/**
 * Names of the set bits of an alarm or status word, as one frozen list shared by every position carrying
 * that word. A fleet repeats a handful of words (ACC on, located, GPS + BeiDou), and building the same list
 * for each frame cost about a tenth of a 0x0200's decode. The cache is direct-mapped: a colliding word
 * replaces the older one, so memory stays bounded whatever terminals send.
 */
export class BitNames {
  private readonly names: readonly (string | undefined)[];
  private readonly words = new Int32Array(SLOTS);
  private readonly lists: (readonly string[] | undefined)[] = new Array<undefined>(SLOTS).fill(undefined);

  constructor(table: readonly BitName[]) {
    this.names = Array.from({ length: 32 }, (_, bit) => table.find((row) => row.bit === bit)?.name);
  }

  of(word: number): readonly string[] {
    const slot = (word ^ (word >>> 8) ^ (word >>> 16) ^ (word >>> 24)) & (SLOTS - 1);
    const known = this.lists[slot];
    if (known !== undefined && this.words[slot] === (word | 0)) return known;
    const list = Object.freeze(this.build(word));
    this.words[slot] = word;
    this.lists[slot] = list;
    return list;
  }

  /** Visits only the set bits (a word usually has two or three). */
  private build(word: number): string[] {
    const set: string[] = [];
    for (let rest = word >>> 0; rest !== 0; rest = (rest & (rest - 1)) >>> 0) {
      const name = this.names[31 - Math.clz32(rest & -rest)];
      if (name !== undefined) set.push(name);
    }
    return set;
  }
}
