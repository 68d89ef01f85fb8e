import { metresPerDegree } from '../track/geodesy.ts';

export interface Neighbour {
  id: number;
  /** Flat-earth metres around the query point: exact enough to rank vehicles a few km apart. */
  approxMeters: number;
}

const INITIAL_CAPACITY = 1024;

/**
 * A uniform lat/lon grid of points that move. Each point lives in one cell's slot list, and remembers its
 * place there, so a move is two O(1) array edits: a static kd-tree (kdbush) would have to be rebuilt on
 * every fix. A k-nearest query walks square rings of cells outwards from the query point and stops once no
 * unvisited cell can hold anything closer than the k-th best so far. Points are stored by slot in typed
 * arrays; `id` is the caller's (a device id). Longitude does not wrap at ±180°: one city never spans it.
 */
export class MovingPointGrid {
  readonly cellDegrees: number;
  readonly #columns: number;
  readonly #slotOf = new Map<number, number>();
  readonly #cells = new Map<number, number[]>();
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
    this.cellDegrees = cellDegrees;
    this.#columns = Math.ceil(360 / cellDegrees) + 1;
  }

  get size(): number {
    return this.#slotOf.size;
  }

  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** Adds the point or moves it. */
  set(id: number, lat: number, lon: number): void {
    const x = Math.floor((lon + 180) / this.cellDegrees);
    const y = Math.floor((lat + 90) / this.cellDegrees);
    const key = y * this.#columns + x;
    let slot = this.#slotOf.get(id);
    if (slot === undefined) {
      slot = this.#allocate(id);
    } else if (this.#cell[slot] !== key) {
      this.#leaveCell(slot);
    } else {
      this.#lat[slot] = lat;
      this.#lon[slot] = lon;
      return;
    }
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
    const cellMeters = this.cellDegrees * Math.min(perLat, perLon);
    const cx = Math.floor((lon + 180) / this.cellDegrees);
    const cy = Math.floor((lat + 90) / this.cellDegrees);
    const reach = Math.max(cx - this.#minX, this.#maxX - cx, cy - this.#minY, this.#maxY - cy);
    const limitSq = maxMeters * maxMeters;
    let worstSq = limitSq;
    for (let r = 0; r <= reach; r++) {
      // Everything not yet visited is at least r cells of the narrower side away from the query point.
      const floor = (r > 0 ? r - 1 : 0) * cellMeters;
      if (floor * floor > worstSq) break;
      for (let y = cy - r; y <= cy + r; y++) {
        if (y < this.#minY || y > this.#maxY) continue;
        const edge = y === cy - r || y === cy + r;
        const step = edge ? 1 : 2 * r;
        for (let x = cx - r; x <= cx + r; x += step || 1) {
          const members = this.#cells.get(y * this.#columns + x);
          if (!members) continue;
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
        }
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
