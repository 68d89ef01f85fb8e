import { boundsOf, contains, type Bounds, type GeofenceShape } from './shapes.ts';

export interface IndexedFence {
  id: number;
  shape: GeofenceShape;
}

interface Entry<F> {
  fence: F;
  bounds: Bounds;
}

/** More cells than this and a fence goes to the short list checked for every point (by its box first). */
const MAX_CELLS_PER_FENCE = 4096;
// A cell is keyed by one number, x · 2^21 + y: unique while |y| < 2^20, i.e. for cells wider than 0.0001°.
// Every stored position is looked up here, so the key must not cost a string.
const ROW = 2 ** 21;
const MIN_CELL_DEGREES = 0.0001;
const NONE: readonly never[] = Object.freeze([]);

/**
 * Which fences contain a point, without testing every fence: each fence is filed under the grid cells its
 * bounding box covers, so a point looks at one cell's few fences, then their boxes, then the exact shape.
 * Fences change rarely (an operator edits them), so the index is simply rebuilt with `replace`.
 */
export class FenceIndex<F extends IndexedFence = IndexedFence> {
  readonly #cellDegrees: number;
  #cells = new Map<number, Entry<F>[]>();
  #huge: Entry<F>[] = [];
  #byId = new Map<number, F>();

  constructor(fences: readonly F[] = [], cellDegrees = 0.02) {
    if (!(cellDegrees >= MIN_CELL_DEGREES)) throw new RangeError(`fence index cells must be at least ${MIN_CELL_DEGREES}° wide`);
    this.#cellDegrees = cellDegrees;
    this.replace(fences);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: number): F | undefined {
    return this.#byId.get(id);
  }

  replace(fences: readonly F[]): void {
    this.#cells = new Map();
    this.#huge = [];
    this.#byId = new Map(fences.map((fence) => [fence.id, fence]));
    for (const fence of fences) {
      const bounds = boundsOf(fence.shape);
      const entry = { fence, bounds };
      const x0 = this.#column(bounds.minLon);
      const y0 = this.#row(bounds.minLat);
      const x1 = this.#column(bounds.maxLon);
      const y1 = this.#row(bounds.maxLat);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS_PER_FENCE) {
        this.#huge.push(entry);
        continue;
      }
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const key = x * ROW + y;
          const list = this.#cells.get(key);
          if (list) list.push(entry);
          else this.#cells.set(key, [entry]);
        }
      }
    }
  }

  /** Every fence whose shape contains the point. */
  containing(lat: number, lon: number): readonly F[] {
    const cell = this.#cells.get(this.#column(lon) * ROW + this.#row(lat));
    const found = cell ? collect(cell, lat, lon, null) : null;
    // Most points are in no fence: they share one empty answer.
    return collect(this.#huge, lat, lon, found) ?? NONE;
  }

  #column(lon: number): number {
    return Math.floor(lon / this.#cellDegrees);
  }

  #row(lat: number): number {
    return Math.floor(lat / this.#cellDegrees);
  }
}

/** Adds the entries' fences that contain the point to `found`, made only when there is one. */
function collect<F extends IndexedFence>(entries: readonly Entry<F>[], lat: number, lon: number, found: F[] | null): F[] | null {
  for (const { fence, bounds } of entries) {
    if (lat < bounds.minLat || lat > bounds.maxLat || lon < bounds.minLon || lon > bounds.maxLon) continue;
    if (contains(fence.shape, lat, lon)) (found ??= []).push(fence);
  }
  return found;
}
