import { metresPerDegree } from '../track/geodesy.ts';

export interface Neighbour {
  id: number;
  /** Flat-earth metres around the query point: exact enough to rank vehicles a few km apart. */
  approxMeters: number;
}

const INITIAL_CAPACITY = 1024;
// Points per occupied cell the grid keeps itself within, halving or doubling its cells as the fleet grows
// or shrinks: dense cells make every query scan too many points, sparse ones make it walk empty rings.
const MAX_PER_CELL = 24;
const MIN_PER_CELL = 1.5;
const MAX_CELL_DEGREES = 0.04;
const MIN_CELL_DEGREES = 0.0005;
// How many additions between two density checks (a check is one division).
const CHECK_EVERY = 1024;

/**
 * A uniform lat/lon grid of points that move. Each point lives in one cell's slot list, and remembers its
 * place there, so a move is two O(1) array edits: a static kd-tree (kdbush) would have to be rebuilt on
 * every fix. A k-nearest query walks square rings of cells outwards from the query point and stops once no
 * unvisited cell can hold anything closer than the k-th best so far. Points are stored by slot in typed
 * arrays; `id` is the caller's (a device id). Longitude does not wrap at ±180°: one city never spans it.
 */
export class MovingPointGrid {
  #cellDegrees: number;
  readonly #slotOf = new Map<number, number>();
  #cells = new Map<number, number[]>();
  #additions = 0;
  #ids = new Float64Array(INITIAL_CAPACITY);
  #lat = new Float64Array(INITIAL_CAPACITY);
  #lon = new Float64Array(INITIAL_CAPACITY);
  #cell = new Float64Array(INITIAL_CAPACITY);
  #indexInCell = new Int32Array(INITIAL_CAPACITY);
  #free: number[] = [];
  #used = 0;
  // The occupied extent in cell coordinates, which bounds how far a ring search can usefully go.
  #minX = Infinity;
  #maxX = -Infinity;
  #minY = Infinity;
  #maxY = -Infinity;

  constructor(cellDegrees = 0.01) {
    this.#cellDegrees = cellDegrees;
  }

  /** The current cell size; it adapts to the density of points. */
  get cellDegrees(): number {
    return this.#cellDegrees;
  }

  get size(): number {
    return this.#slotOf.size;
  }

  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** Adds the point or moves it. */
  set(id: number, lat: number, lon: number): void {
    let slot = this.#slotOf.get(id);
    if (slot === undefined) {
      slot = this.#allocate(id);
      this.#place(slot, lat, lon);
      if (++this.#additions % CHECK_EVERY === 0) this.#adapt();
      return;
    }
    const key = this.#keyOf(lat, lon);
    if (this.#cell[slot] !== key) {
      this.#leaveCell(slot);
      this.#place(slot, lat, lon);
      return;
    }
    this.#lat[slot] = lat;
    this.#lon[slot] = lon;
  }

  #keyOf(lat: number, lon: number): number {
    return cellKey(Math.floor((lon + 180) / this.#cellDegrees), Math.floor((lat + 90) / this.#cellDegrees));
  }

  #place(slot: number, lat: number, lon: number): void {
    const x = Math.floor((lon + 180) / this.#cellDegrees);
    const y = Math.floor((lat + 90) / this.#cellDegrees);
    const key = cellKey(x, y);
    this.#lat[slot] = lat;
    this.#lon[slot] = lon;
    this.#cell[slot] = key;
    let members = this.#cells.get(key);
    if (!members) this.#cells.set(key, (members = []));
    this.#indexInCell[slot] = members.length;
    members.push(slot);
    if (x < this.#minX) this.#minX = x;
    if (x > this.#maxX) this.#maxX = x;
    if (y < this.#minY) this.#minY = y;
    if (y > this.#maxY) this.#maxY = y;
  }

  /** Re-files every point under cells half or twice as large when the cells are too full or too empty. */
  #adapt(): void {
    const perCell = this.#slotOf.size / Math.max(1, this.#cells.size);
    let next = this.#cellDegrees;
    if (perCell > MAX_PER_CELL && next / 2 >= MIN_CELL_DEGREES) next /= 2;
    else if (perCell < MIN_PER_CELL && next * 2 <= MAX_CELL_DEGREES) next *= 2;
    if (next === this.#cellDegrees) return;
    this.#cellDegrees = next;
    this.#cells = new Map();
    this.#minX = this.#minY = Infinity;
    this.#maxX = this.#maxY = -Infinity;
    for (const slot of this.#slotOf.values()) this.#place(slot, this.#lat[slot]!, this.#lon[slot]!);
  }

  delete(id: number): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    this.#leaveCell(slot);
    this.#slotOf.delete(id);
    this.#free.push(slot);
    return true;
  }

  /**
   * The `k` nearest points that `accept` lets through, nearest first, no farther than `maxMeters`.
   * `accept` sees candidates in no particular order, at most once each.
   */
  nearest(lat: number, lon: number, k: number, accept: (id: number) => boolean, maxMeters = Infinity): Neighbour[] {
    const best: Neighbour[] = [];
    if (k <= 0 || this.#slotOf.size === 0) return best;
    const { perLat, perLon } = metresPerDegree(lat);
    const cellMeters = this.#cellDegrees * Math.min(perLat, perLon);
    const cx = Math.floor((lon + 180) / this.#cellDegrees);
    const cy = Math.floor((lat + 90) / this.#cellDegrees);
    const reach = Math.max(cx - this.#minX, this.#maxX - cx, cy - this.#minY, this.#maxY - cy);
    const limitSq = maxMeters * maxMeters;
    let worstSq = limitSq;
    const visit = (x: number, y: number): void => {
      const members = this.#cells.get(cellKey(x, y));
      if (!members) return;
      for (let m = 0; m < members.length; m++) {
        const slot = members[m]!;
        const dx = (this.#lon[slot]! - lon) * perLon;
        const dy = (this.#lat[slot]! - lat) * perLat;
        const dSq = dx * dx + dy * dy;
        if (dSq > worstSq || (best.length === k && dSq >= worstSq)) continue;
        const id = this.#ids[slot]!;
        if (!accept(id)) continue;
        insertSorted(best, id, dSq, k);
        if (best.length === k) worstSq = Math.min(limitSq, best[k - 1]!.approxMeters);
      }
    };
    for (let r = 0; r <= reach; r++) {
      // Everything not yet visited is at least r cells of the narrower side away from the query point.
      const floor = (r > 0 ? r - 1 : 0) * cellMeters;
      if (floor * floor > worstSq) break;
      const x0 = Math.max(cx - r, this.#minX);
      const x1 = Math.min(cx + r, this.#maxX);
      for (let y = Math.max(cy - r, this.#minY); y <= Math.min(cy + r, this.#maxY); y++) {
        if (y === cy - r || y === cy + r) {
          for (let x = x0; x <= x1; x++) visit(x, y);
          continue;
        }
        // Between the ring's top and bottom rows only its left and right cells are new.
        if (cx - r >= this.#minX) visit(cx - r, y);
        if (cx + r <= this.#maxX) visit(cx + r, y);
      }
    }
    for (const neighbour of best) neighbour.approxMeters = Math.sqrt(neighbour.approxMeters);
    return best;
  }

  #allocate(id: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#used === this.#ids.length) this.#grow();
      slot = this.#used++;
    }
    this.#ids[slot] = id;
    this.#slotOf.set(id, slot);
    return slot;
  }

  // Swap-remove: the cell's last member takes the leaving slot's place.
  #leaveCell(slot: number): void {
    const key = this.#cell[slot]!;
    const members = this.#cells.get(key)!;
    const index = this.#indexInCell[slot]!;
    const moved = members.pop()!;
    if (moved !== slot) {
      members[index] = moved;
      this.#indexInCell[moved] = index;
    }
    if (members.length === 0) this.#cells.delete(key);
  }

  #grow(): void {
    const capacity = this.#ids.length * 2;
    const grow = <T extends Float64Array | Int32Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.#ids = grow(this.#ids, new Float64Array(capacity));
    this.#lat = grow(this.#lat, new Float64Array(capacity));
    this.#lon = grow(this.#lon, new Float64Array(capacity));
    this.#cell = grow(this.#cell, new Float64Array(capacity));
    this.#indexInCell = grow(this.#indexInCell, new Int32Array(capacity));
  }
}

/**
 * A cell's map key: 15 bits of row and 16 of column, a small integer the Map hashes without boxing. Cells a
 * whole wrap apart (over 16° at the finest cells) share a key; their points are then merely extra
 * candidates, measured and rejected like any other, so sharing costs time, never correctness.
 */
function cellKey(x: number, y: number): number {
  return ((y & 0x7fff) << 16) | (x & 0xffff);
}

// `best` holds squared distances until the query returns; k is small (a dispatcher's list).
function insertSorted(best: Neighbour[], id: number, dSq: number, k: number): void {
  let i = best.length;
  if (i === k) {
    i--;
    best.pop();
  }
  best.push({ id, approxMeters: dSq });
  while (i > 0 && best[i - 1]!.approxMeters > dSq) {
    best[i] = best[i - 1]!;
    i--;
  }
  best[i] = { id, approxMeters: dSq };
}
