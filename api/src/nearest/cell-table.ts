const NONE = -1;
const MIN_CAPACITY = 64;

/**
 * The grid's cells, by column and row, in an open-addressing hash table of typed arrays (linear probing):
 * a lookup hashes two integers and allocates nothing, and a million points in 60 000 cells make no garbage
 * for the collector to trace. Each cell holds where its block of points lies in the grid's pool, the
 * block's room and the count. Cells are never removed one by one; the grid rebuilds the table with its occupied cells when the table fills up.
 */
export class CellTable {
  readonly capacity: number;
  /** Where each cell's block of points starts in the grid's pool (in entries), or -1 for none. */
  readonly block: Int32Array;
  /** How many points each cell's block has room for. */
  readonly room: Int32Array;
  /** How many points each cell holds. */
  readonly count: Int32Array;
  /** Cells holding at least one point; the grid keeps it current as it links and unlinks points. */
  occupied = 0;
  #size = 0;
  readonly #mask: number;
  readonly #xs: Int32Array;
  readonly #ys: Int32Array;
  readonly #taken: Uint8Array;

  constructor(minCells = MIN_CAPACITY) {
    let capacity = MIN_CAPACITY;
    while (capacity < minCells) capacity *= 2;
    this.capacity = capacity;
    this.#mask = capacity - 1;
    this.block = new Int32Array(capacity).fill(NONE);
    this.room = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
    this.#xs = new Int32Array(capacity);
    this.#ys = new Int32Array(capacity);
    this.#taken = new Uint8Array(capacity);
  }

  x(cell: number): number {
    return this.#xs[cell]!;
  }

  y(cell: number): number {
    return this.#ys[cell]!;
  }

  /** Whether adding one more cell would leave the table more than half full (probes grow long past that). */
  isFull(): boolean {
    return (this.#size + 1) * 2 > this.capacity;
  }

  /** The cell at column x, row y, or -1. */
  find(x: number, y: number): number {
    for (let i = hash(x, y) & this.#mask; this.#taken[i] === 1; i = (i + 1) & this.#mask) {
      if (this.#xs[i] === x && this.#ys[i] === y) return i;
    }
    return NONE;
  }

  /** Adds a cell known to be absent; the caller checked `isFull` first. */
  add(x: number, y: number): number {
    let i = hash(x, y) & this.#mask;
    while (this.#taken[i] === 1) i = (i + 1) & this.#mask;
    this.#taken[i] = 1;
    this.#xs[i] = x;
    this.#ys[i] = y;
    this.#size++;
    return i;
  }
}

function hash(x: number, y: number): number {
  const h = Math.imul(x ^ Math.imul(y, 0x85ebca77), 0x9e3779b1);
  return h ^ (h >>> 15);
}
