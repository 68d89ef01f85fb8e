/** Numbers per entry: lat, lon, the caller's id, the grid's slot. */
export const STRIDE = 4;
const MIN_ROOM = 4;
const INITIAL_ENTRIES = 4096;

/**
 * One Float64Array carved into blocks of 4, 8, 16, ... entries, so each grid cell keeps its points side by
 * side: a query reads a cell in a few cache lines instead of chasing one pointer per point. Freed blocks go
 * to a free list per size and are reused before the pool grows.
 */
export class BlockPool {
  data = new Float64Array(INITIAL_ENTRIES * STRIDE);
  #used = 0;
  // Free block offsets (in entries) by size class: room = MIN_ROOM << class.
  readonly #free: number[][] = [];

  /** The smallest room a block has; rooms double from there. */
  static readonly minRoom = MIN_ROOM;

  /** A block with room for `room` entries (a power of two, at least minRoom); returns its offset in entries. */
  alloc(room: number): number {
    const list = this.#free[sizeClass(room)];
    const reused = list?.pop();
    if (reused !== undefined) return reused;
    if ((this.#used + room) * STRIDE > this.data.length) this.#grow((this.#used + room) * STRIDE);
    const offset = this.#used;
    this.#used += room;
    return offset;
  }

  free(offset: number, room: number): void {
    const size = sizeClass(room);
    (this.#free[size] ??= []).push(offset);
  }

  #grow(atLeast: number): void {
    let length = this.data.length * 2;
    while (length < atLeast) length *= 2;
    const data = new Float64Array(length);
    data.set(this.data);
    this.data = data;
  }
}

function sizeClass(room: number): number {
  return 31 - Math.clz32(room / MIN_ROOM);
}
