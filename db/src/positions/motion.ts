/**
 * Distance, time in motion and time on duty (ignition on) between a device's consecutive fixes, computed by the writer when a fix is
 * stored, so that daily statistics are sums (a TimescaleDB continuous aggregate cannot use window functions).
 * Computed from the stored micro-degrees, so recomputing from the table gives the same figures.
 */
export interface Fix {
  fixTimeMs: number;
  latE6: number;
  lonE6: number;
  speedKmh: number;
  valid: boolean;
  /** null when the terminal does not report ignition: such time is never on duty. */
  ignition: boolean | null;
}

export interface Motion {
  distanceM: number;
  movingS: number;
  /** Time since the previous fix when the ignition was on at that fix, capped like moving time. */
  onDutyS: number;
}

/** At or above this speed a vehicle is moving; below it, GPS jitter of a parked car is not mileage. */
export const MOVING_SPEED_KMH = 5;
/** A longer silence is not counted as time in motion: the terminal was off or out of coverage. */
export const MAX_MOVING_GAP_MS = 10 * 60_000;
/** The writer looks this far back for a device's previous fix; after a longer gap a fix starts afresh. */
export const PREVIOUS_FIX_LOOKBACK_MS = 6 * 3_600_000;

const EARTH_RADIUS_M = 6_371_008.8;
const RADIANS_PER_E6 = Math.PI / 180 / 1e6;

/** Great-circle distance in metres between two points given in micro-degrees (haversine). */
export function distanceE6(latE6a: number, lonE6a: number, latE6b: number, lonE6b: number): number {
  const phiA = latE6a * RADIANS_PER_E6;
  const phiB = latE6b * RADIANS_PER_E6;
  const sinHalfPhi = Math.sin((phiB - phiA) / 2);
  const sinHalfLambda = Math.sin(((lonE6b - lonE6a) * RADIANS_PER_E6) / 2);
  const h = sinHalfPhi * sinHalfPhi + Math.cos(phiA) * Math.cos(phiB) * sinHalfLambda * sinHalfLambda;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const NO_MOTION: Motion = { distanceM: 0, movingS: 0, onDutyS: 0 };

/**
 * What `fix` adds to its day. Only a valid fix that is newer than `previous` (the last valid fix stored
 * or written before it) counts; a late fix, older than what is stored, adds nothing, because the interval
 * between its neighbours was already counted. Distance and moving time need motion at either end; time on
 * duty needs the ignition on at `previous`, so a parked vehicle with its engine running is on duty.
 */
export function motionSince(previous: Fix | undefined, fix: Fix): Motion {
  if (!previous || !fix.valid) return NO_MOTION;
  const gapMs = fix.fixTimeMs - previous.fixTimeMs;
  if (gapMs <= 0 || gapMs > PREVIOUS_FIX_LOOKBACK_MS) return NO_MOTION;
  const seconds = gapMs <= MAX_MOVING_GAP_MS ? gapMs / 1000 : 0;
  const onDutyS = previous.ignition === true ? seconds : 0;
  if (fix.speedKmh < MOVING_SPEED_KMH && previous.speedKmh < MOVING_SPEED_KMH) {
    return onDutyS === 0 ? NO_MOTION : { distanceM: 0, movingS: 0, onDutyS };
  }
  return {
    distanceM: distanceE6(previous.latE6, previous.lonE6, fix.latE6, fix.lonE6),
    movingS: seconds,
    onDutyS,
  };
}
