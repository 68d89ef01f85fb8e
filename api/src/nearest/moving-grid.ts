import { metresPerDegree } from '../track/geodesy.ts';
import { BlockPool, STRIDE } from './block-pool.ts';
import { CellTable } from './cell-table.ts';
import { NearestHeap } from './nearest-heap.ts';

export interface Neighbour {
  id: number;
  /** Flat-earth metres around the query point: exact enough to rank vehicles a few km apart. */
  approxMeters: number;
}

const INITIAL_CAPACITY = 1024;
const NONE = -1;
// Points per occupied cell the grid keeps itself within, halving or doubling its cells as the fleet grows
// or shrinks: dense cells make every query scan too many points, sparse ones make it walk empty rings.
// Points of a cell lie side by side, so scanning one costs a few nanoseconds while probing a cell costs a
// hash lookup and a cache miss: fairly full cells pay. Vehicles on roads fill lines, not areas, so halving
// a cell halves (not quarters) its points and leaves more cells empty; a low bound would over-refine.
const MAX_PER_CELL = 96;
const MIN_PER_CELL = 1.5;
const MAX_CELL_DEGREES = 0.04;
const MIN_CELL_DEGREES = 0.0005;
// How many additions between two density checks (a check is one division).
const CHECK_EVERY = 1024;
// Cell bounds are compared with candidate distances computed another way; shrinking them by a hair keeps
// rounding from skipping a cell that holds a point exactly at the k-th distance.
const BOUND_SLACK = 1 - 1e-9;

/**
 * A uniform lat/lon grid of points that move. Each cell keeps its points side by side in a block of one
 * shared Float64Array (block-pool.ts), found through a hash table of typed arrays (cell-table.ts), and each
 * point remembers its cell and place there: a move is a few array writes (a static kd-tree such as kdbush
 * would have to be rebuilt on every fix), a query reads each cell in a few cache lines, and the grid holds
 * no JS object per cell or per point for the garbage collector to trace. A k-nearest query walks square
 * rings of cells outwards from the query point, skips every cell that cannot hold anything closer than the
 * k-th best so far, and stops at the first ring that cannot. It allocates nothing but its answer. `id` is
 * the caller's (a device id). Longitude does not wrap at ±180°: one city never spans it.
 */
export class MovingPointGrid {
  #cellDegrees: number;
  readonly #slotOf = new Map<number, number>();
  #table = new CellTable();
  #pool = new BlockPool();
  readonly #heap = new NearestHeap();
  #additions = 0;
  #cell = new Int32Array(INITIAL_CAPACITY);
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
      this.#place(slot, id, lat, lon);
      if (++this.#additions % CHECK_EVERY === 0) this.#adapt();
      return;
    }
    const x = Math.floor((lon + 180) / this.#cellDegrees);
    const y = Math.floor((lat + 90) / this.#cellDegrees);
    const cell = this.#cell[slot]!;
    if (this.#table.x(cell) !== x || this.#table.y(cell) !== y) {
      this.#leaveCell(slot);
      this.#place(slot, id, lat, lon);
      return;
    }
    const at = (this.#table.block[cell]! + this.#indexInCell[slot]!) * STRIDE;
    this.#pool.data[at] = lat;
    this.#pool.data[at + 1] = lon;
  }

  #place(slot: number, id: number, lat: number, lon: number): void {
    const x = Math.floor((lon + 180) / this.#cellDegrees);
    const y = Math.floor((lat + 90) / this.#cellDegrees);
    let cell = this.#table.find(x, y);
    if (cell === NONE) {
      // A full table is rebuilt with the occupied cells only, so cells vehicles left do not pile up.
      if (this.#table.isFull()) this.#rebuildTable();
      cell = this.#table.add(x, y);
    }
    const table = this.#table;
    const count = table.count[cell]!;
    if (count === table.room[cell]!) this.#enlarge(cell);
    const at = (table.block[cell]! + count) * STRIDE;
    const data = this.#pool.data;
    data[at] = lat;
    data[at + 1] = lon;
    data[at + 2] = id;
    data[at + 3] = slot;
    this.#cell[slot] = cell;
    this.#indexInCell[slot] = count;
    table.count[cell] = count + 1;
    if (count === 0) table.occupied++;
    if (x < this.#minX) this.#minX = x;
    if (x > this.#maxX) this.#maxX = x;
    if (y < this.#minY) this.#minY = y;
    if (y > this.#maxY) this.#maxY = y;
  }

  // A full cell moves to a block twice its size; an empty cell's block is freed.
  #enlarge(cell: number): void {
    const table = this.#table;
    const room = table.room[cell]!;
    const block = table.block[cell]!;
    const next = this.#pool.alloc(room === 0 ? BlockPool.minRoom : room * 2);
    if (room > 0) {
      this.#pool.data.copyWithin(next * STRIDE, block * STRIDE, (block + table.count[cell]!) * STRIDE);
      this.#pool.free(block, room);
    }
    table.block[cell] = next;
    table.room[cell] = room === 0 ? BlockPool.minRoom : room * 2;
  }

  // Swap-remove: the cell's last point takes the leaving point's place.
  #leaveCell(slot: number): void {
    const table = this.#table;
    const cell = this.#cell[slot]!;
    const block = table.block[cell]!;
    const last = table.count[cell]! - 1;
    const index = this.#indexInCell[slot]!;
    const data = this.#pool.data;
    if (index !== last) {
      data.copyWithin((block + index) * STRIDE, (block + last) * STRIDE, (block + last + 1) * STRIDE);
      this.#indexInCell[data[(block + index) * STRIDE + 3]!] = index;
    }
    table.count[cell] = last;
    if (last > 0) return;
    table.occupied--;
    this.#pool.free(block, table.room[cell]!);
    table.block[cell] = NONE;
    table.room[cell] = 0;
  }

  #rebuildTable(): void {
    const old = this.#table;
    const table = (this.#table = new CellTable(old.occupied * 4));
    for (let cell = 0; cell < old.capacity; cell++) {
      const count = old.count[cell]!;
      if (count === 0) continue;
      const moved = table.add(old.x(cell), old.y(cell));
      table.block[moved] = old.block[cell]!;
      table.room[moved] = old.room[cell]!;
      table.count[moved] = count;
      table.occupied++;
      const block = old.block[cell]!;
      for (let i = 0; i < count; i++) this.#cell[this.#pool.data[(block + i) * STRIDE + 3]!] = moved;
    }
  }

  /** Re-files every point under cells half or twice as large when the cells are too full or too empty. */
  #adapt(): void {
    const perCell = this.#slotOf.size / Math.max(1, this.#table.occupied);
    let next = this.#cellDegrees;
    if (perCell > MAX_PER_CELL && next / 2 >= MIN_CELL_DEGREES) next /= 2;
    else if (perCell < MIN_PER_CELL && next * 2 <= MAX_CELL_DEGREES) next *= 2;
    if (next === this.#cellDegrees) return;
    const table = this.#table;
    const data = this.#pool.data;
    this.#cellDegrees = next;
    this.#table = new CellTable(table.occupied * 4);
    this.#pool = new BlockPool();
    this.#minX = this.#minY = Infinity;
    this.#maxX = this.#maxY = -Infinity;
    for (let cell = 0; cell < table.capacity; cell++) {
      const block = table.block[cell]!;
      for (let i = 0; i < table.count[cell]!; i++) {
        const at = (block + i) * STRIDE;
        this.#place(data[at + 3]!, data[at + 2]!, data[at]!, data[at + 1]!);
      }
    }
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
   * `accept` sees candidates in no particular order, at most once each, and only those closer than the
   * k-th best so far.
   */
  nearest(lat: number, lon: number, k: number, accept: (id: number) => boolean, maxMeters = Infinity): Neighbour[] {
    if (k <= 0 || this.#slotOf.size === 0) return [];
    const heap = this.#heap;
    heap.reset(k, maxMeters * maxMeters);
    const { perLat, perLon } = metresPerDegree(lat);
    const cellDegrees = this.#cellDegrees;
    const cellWide = cellDegrees * perLon * BOUND_SLACK;
    const cellHigh = cellDegrees * perLat * BOUND_SLACK;
    // The query point in cell units: its cell, and where inside that cell it lies.
    const qx = (lon + 180) / cellDegrees;
    const qy = (lat + 90) / cellDegrees;
    const cx = Math.floor(qx);
    const cy = Math.floor(qy);
    const fx = qx - cx;
    const fy = qy - cy;
    const minX = this.#minX;
    const maxX = this.#maxX;
    const minY = this.#minY;
    const maxY = this.#maxY;
    const reach = Math.max(cx - minX, maxX - cx, cy - minY, maxY - cy);
    for (let r = 0; r <= reach; r++) {
      if (r > 0) {
        // The nearest any cell of ring r can be: across r - 1 whole cells plus the way to the own cell's edge.
        const across = Math.min((fx + r - 1) * cellWide, (r - fx) * cellWide, (fy + r - 1) * cellHigh, (r - fy) * cellHigh);
        if (across * across > heap.worstSq) break;
      }
      const y0 = Math.max(cy - r, minY);
      const y1 = Math.min(cy + r, maxY);
      const x0 = Math.max(cx - r, minX);
      const x1 = Math.min(cx + r, maxX);
      for (let y = y0; y <= y1; y++) {
        const dy = y > cy ? (y - qy) * cellHigh : y < cy ? (qy - y - 1) * cellHigh : 0;
        const dySq = dy * dy;
        if (dySq > heap.worstSq) continue;
        const edgeRow = y === cy - r || y === cy + r;
        // Between the ring's top and bottom rows only its left and right cells are new.
        const step = edgeRow || r === 0 ? 1 : 2 * r;
        for (let x = edgeRow ? x0 : cx - r; x <= x1; x += step) {
          if (x < minX) continue;
          const dx = x > cx ? (x - qx) * cellWide : x < cx ? (qx - x - 1) * cellWide : 0;
          if (dx * dx + dySq > heap.worstSq) continue;
          this.#scan(x, y, lat, lon, perLat, perLon, accept);
        }
      }
    }
    return heap.neighbours();
  }

  #scan(x: number, y: number, lat: number, lon: number, perLat: number, perLon: number, accept: (id: number) => boolean): void {
    const cell = this.#table.find(x, y);
    if (cell === NONE) return;
    const data = this.#pool.data;
    const heap = this.#heap;
    const start = this.#table.block[cell]! * STRIDE;
    const end = start + this.#table.count[cell]! * STRIDE;
    for (let at = start; at < end; at += STRIDE) {
      const dy = (data[at]! - lat) * perLat;
      const dx = (data[at + 1]! - lon) * perLon;
      const dSq = dx * dx + dy * dy;
      if (!heap.admits(dSq)) continue;
      const id = data[at + 2]!;
      if (accept(id)) heap.push(id, dSq);
    }
  }

  #allocate(id: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#used === this.#cell.length) this.#grow();
      slot = this.#used++;
    }
    this.#slotOf.set(id, slot);
    return slot;
  }

  #grow(): void {
    const capacity = this.#cell.length * 2;
    const cell = new Int32Array(capacity);
    cell.set(this.#cell);
    this.#cell = cell;
    const indexInCell = new Int32Array(capacity);
    indexInCell.set(this.#indexInCell);
    this.#indexInCell = indexInCell;
  }
}
