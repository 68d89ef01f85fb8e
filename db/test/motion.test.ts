import { describe, expect, it } from 'vitest';
import { distanceE6, MAX_MOVING_GAP_MS, motionSince, PREVIOUS_FIX_LOOKBACK_MS, type Fix } from '../src/positions/motion.ts';

const at = (fixTimeMs: number, over: Partial<Fix> = {}): Fix => ({
  fixTimeMs,
  latE6: 31_230_000,
  lonE6: 121_473_700,
  speedKmh: 30,
  valid: true,
  ignition: null,
  ...over,
});

describe('motion between fixes', () => {
  it('measures a great-circle distance', () => {
    // One degree of latitude is about 111.2 km on the mean-radius sphere.
    expect(distanceE6(0, 0, 1_000_000, 0)).toBeCloseTo(111_195, 0);
    expect(distanceE6(31_230_000, 121_473_700, 31_230_000, 121_473_700)).toBe(0);
  });

  it('counts a moving step, and time in motion only across short gaps', () => {
    const moved = at(10_000, { latE6: 31_231_000 });
    expect(motionSince(at(0), moved)).toEqual({ distanceM: distanceE6(31_230_000, 121_473_700, 31_231_000, 121_473_700), movingS: 10, onDutyS: 0 });
    expect(motionSince(at(0), at(MAX_MOVING_GAP_MS + 1)).movingS).toBe(0);
    expect(motionSince(at(0), at(MAX_MOVING_GAP_MS + 1, { latE6: 31_231_000 })).distanceM).toBeGreaterThan(100);
  });

  it('counts nothing for a first fix, a late fix, an invalid fix, a parked car or a long silence', () => {
    const none = { distanceM: 0, movingS: 0, onDutyS: 0 };
    expect(motionSince(undefined, at(0))).toEqual(none);
    expect(motionSince(at(10_000), at(5_000, { latE6: 31_240_000 }))).toEqual(none);
    expect(motionSince(at(0), at(10_000, { valid: false, latE6: 0 }))).toEqual(none);
    expect(motionSince(at(0, { speedKmh: 0 }), at(10_000, { speedKmh: 2, latE6: 31_230_050 }))).toEqual(none);
    expect(motionSince(at(0), at(PREVIOUS_FIX_LOOKBACK_MS + 1, { latE6: 31_300_000 }))).toEqual(none);
  });

  it('counts time on duty after a fix with the ignition on, parked or moving, across short gaps only', () => {
    const on = { ignition: true };
    expect(motionSince(at(0, on), at(10_000, { latE6: 31_231_000 }))).toMatchObject({ movingS: 10, onDutyS: 10 });
    // Parked with the engine running: on duty, not moving.
    expect(motionSince(at(0, { ...on, speedKmh: 0 }), at(30_000, { speedKmh: 0 }))).toEqual({ distanceM: 0, movingS: 0, onDutyS: 30 });
    expect(motionSince(at(0, on), at(MAX_MOVING_GAP_MS, { speedKmh: 0 })).onDutyS).toBe(MAX_MOVING_GAP_MS / 1000);
    expect(motionSince(at(0, on), at(MAX_MOVING_GAP_MS + 1)).onDutyS).toBe(0);
    // It is the earlier fix's ignition that decides the interval, and unknown ignition is not on duty.
    expect(motionSince(at(0, { ignition: false }), at(10_000, on)).onDutyS).toBe(0);
    expect(motionSince(at(0), at(10_000, on)).onDutyS).toBe(0);
    expect(motionSince(at(10_000, on), at(5_000)).onDutyS).toBe(0);
    expect(motionSince(at(0, on), at(10_000, { valid: false })).onDutyS).toBe(0);
  });
});
