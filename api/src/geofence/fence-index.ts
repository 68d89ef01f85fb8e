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

/**
 * Which fences contain a point, without testing every fence: each fence is filed under the grid cells its
 * bounding box covers, so a point looks at one cell's few fences, then their boxes, then the exact shape.
 * Fences change rarely (an operator edits them), so the index is simply rebuilt with `replace`.
 */
export class FenceIndex<F extends IndexedFence = IndexedFence> {
  readonly #cellDegrees: number;
  #cells = new Map<string, Entry<F>[]>();
  #huge: Entry<F>[] = [];
  #byId = new Map<number, F>();

  constructor(fences: readonly F[] = [], cellDegrees = 0.02) {
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
      const [x0, y0] = this.#cellOf(bounds.minLat, bounds.minLon);
      const [x1, y1] = this.#cellOf(bounds.maxLat, bounds.maxLon);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS_PER_FENCE) {
        this.#huge.push(entry);
        continue;
      }
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const key = `${x}:${y}`;
          const list = this.#cells.get(key);
          if (list) list.push(entry);
          else this.#cells.set(key, [entry]);
        }
      }
    }
  }

  /** Every fence whose shape contains the point. */
  containing(lat: number, lon: number): F[] {
    const [x, y] = this.#cellOf(lat, lon);
    const found: F[] = [];
    for (const list of [this.#cells.get(`${x}:${y}`), this.#huge]) {
      if (!list) continue;
      for (const { fence, bounds } of list) {
        if (lat < bounds.minLat || lat > bounds.maxLat || lon < bounds.minLon || lon > bounds.maxLon) continue;
        if (contains(fence.shape, lat, lon)) found.push(fence);
      }
    }
    return found;
  }

  #cellOf(lat: number, lon: number): [number, number] {
    return [Math.floor(lon / this.#cellDegrees), Math.floor(lat / this.#cellDegrees)];
  }
}
