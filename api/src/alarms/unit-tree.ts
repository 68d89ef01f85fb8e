/**
 * Which unit lies inside which, from the parent links, in memory: fence applicability is checked for every
 * fence a fix falls in, too often for a recursive query each time.
 */
export class UnitTree {
  #parents = new Map<number, number | null>();

  replace(units: readonly { id: number; parentId: number | null }[]): void {
    this.#parents = new Map(units.map((u) => [u.id, u.parentId]));
  }

  /** Whether `unitId` is `ancestorId` or lies below it. */
  isWithin(unitId: number, ancestorId: number): boolean {
    // Bounded by the number of units, so a corrupted cycle cannot loop forever.
    let current: number | null | undefined = unitId;
    for (let steps = 0; current != null && steps <= this.#parents.size; steps++) {
      if (current === ancestorId) return true;
      current = this.#parents.get(current);
    }
    return false;
  }
}
