const INITIAL_CAPACITY = 1024;
const NO_UNIT = -1;

export const STATUS_CODES = { standby: 0, on_task: 1, unavailable: 2 } as const;
export type StatusCode = (typeof STATUS_CODES)[keyof typeof STATUS_CODES];

/**
 * Dense slot numbers for vehicles, with what a nearest query filters on (fix time, dispatch status, unit)
 * and the latest fix itself in typed arrays by slot. The grid walk asks the filter about every candidate it
 * considers, a hundred or more per query; reading a device id's Map entry, its record and its position
 * object cost a few cache misses each, most of a query's time at 100 000 vehicles, where these columns cost
 * one or two. A fix is written into the columns rather than kept as an object: 10 000 fixes a second kept
 * as objects each live ~10 s, so every one would be copied by the young-generation collector and then
 * promoted, lengthening the server's GC pauses, and die in the old generation. Slots of removed vehicles are
 * reused, so the columns stay as long as the fleet.
 */
export class VehicleSlots {
  readonly #slotOf = new Map<number, number>();
  #free: number[] = [];
  #used = 0;
  /** -Infinity until the vehicle's first valid fix. */
  fixTimeMs = new Float64Array(INITIAL_CAPACITY);
  lat = new Float64Array(INITIAL_CAPACITY);
  lon = new Float64Array(INITIAL_CAPACITY);
  speedKmh = new Float64Array(INITIAL_CAPACITY);
  course = new Float64Array(INITIAL_CAPACITY);
  status = new Uint8Array(INITIAL_CAPACITY);
  unitId = new Int32Array(INITIAL_CAPACITY);

  slotOf(deviceId: number): number | undefined {
    return this.#slotOf.get(deviceId);
  }

  /** The vehicle's slot, given one (with no fix yet) if it has none. */
  claim(deviceId: number): number {
    const known = this.#slotOf.get(deviceId);
    if (known !== undefined) return known;
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#used === this.status.length) this.#grow();
      slot = this.#used++;
    }
    this.#slotOf.set(deviceId, slot);
    this.fixTimeMs[slot] = -Infinity;
    return slot;
  }

  release(deviceId: number): number | undefined {
    const slot = this.#slotOf.get(deviceId);
    if (slot === undefined) return undefined;
    this.#slotOf.delete(deviceId);
    this.#free.push(slot);
    return slot;
  }

  setRecord(slot: number, status: StatusCode, unitId: number | null): void {
    this.status[slot] = status;
    this.unitId[slot] = unitId ?? NO_UNIT;
  }

  /** Whether the slot's unit is one of `units`; a vehicle without a unit is in none. */
  inUnits(slot: number, units: ReadonlySet<number>): boolean {
    const unit = this.unitId[slot]!;
    return unit !== NO_UNIT && units.has(unit);
  }

  #grow(): void {
    const capacity = this.status.length * 2;
    const grown = (column: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(column);
      return next;
    };
    this.fixTimeMs = grown(this.fixTimeMs);
    this.lat = grown(this.lat);
    this.lon = grown(this.lon);
    this.speedKmh = grown(this.speedKmh);
    this.course = grown(this.course);
    const status = new Uint8Array(capacity);
    status.set(this.status);
    this.status = status;
    const unitId = new Int32Array(capacity);
    unitId.set(this.unitId);
    this.unitId = unitId;
  }
}
