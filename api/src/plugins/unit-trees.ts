import fp from 'fastify-plugin';
import { unitSubtreeIds, type SqlExecutor } from '@urbanlink/db';

declare module 'fastify' {
  interface FastifyInstance {
    /** Each unit's subtree, read at most once per UNIT_TREE_TTL_MS; what every per-unit permission checks. */
    unitTrees: UnitTrees;
  }
}

/** Units change rarely; a change made by another API process is seen here this much later at most. */
export const UNIT_TREE_TTL_MS = 2_000;

interface Entry {
  ids: number[];
  members: ReadonlySet<number>;
  until: number;
}

/**
 * The ids of each unit's subtree, remembered for a moment so that a dispatcher's nearest-vehicle request or
 * a ticket check does not pay a recursive query per request. This process's own unit edits call `clear`.
 * A lookup that began before a `clear` does not store what it read.
 */
export class UnitTrees {
  readonly #db: SqlExecutor;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<number, Entry>();
  #generation = 0;

  constructor(db: SqlExecutor, options: { ttlMs?: number; now?: () => number } = {}) {
    this.#db = db;
    this.#ttlMs = options.ttlMs ?? UNIT_TREE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The unit and every unit below it, in id order; empty when the unit does not exist. */
  async subtreeIds(unitId: number): Promise<number[]> {
    return (await this.#entry(unitId)).ids;
  }

  /** Whether `unitId` is `ancestorId` or lies below it. */
  async isWithin(unitId: number, ancestorId: number): Promise<boolean> {
    return (await this.#entry(ancestorId)).members.has(unitId);
  }

  clear(): void {
    this.#entries.clear();
    this.#generation++;
  }

  async #entry(unitId: number): Promise<Entry> {
    const known = this.#entries.get(unitId);
    if (known && known.until > this.#now()) return known;
    const generation = this.#generation;
    const ids = await unitSubtreeIds(this.#db, unitId);
    const entry = { ids, members: new Set(ids), until: this.#now() + this.#ttlMs };
    if (generation === this.#generation) this.#entries.set(unitId, entry);
    return entry;
  }
}

export default fp(
  async (app) => {
    app.decorate('unitTrees', new UnitTrees(app.db));
  },
  { name: 'urbanlink-unit-trees', dependencies: ['urbanlink-db'] },
);
