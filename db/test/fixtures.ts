import type { Position } from '@urbanlink/protocols';

/** A moving fix with every field set; override what the test is about. */
export function fix(overrides: Partial<Position> & { fixTimeMs: number }): Position {
  return {
    uniqueId: '',
    lat: 31.2304,
    lon: 121.4737,
    altitudeM: 12,
    speedKmh: 36,
    course: 90,
    valid: true,
    satellites: 9,
    ignition: true,
    odometerKm: 1234.5,
    fuelL: null,
    alarms: [],
    attributes: {},
    ...overrides,
  };
}
