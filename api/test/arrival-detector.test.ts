import { describe, expect, it } from 'vitest';
import { ArrivalDetector, type PositionSample } from '../src/tickets/arrival.ts';

const scene = { lat: 31.23, lon: 121.47 };
const T0 = Date.parse('2026-11-28T10:00:00Z');
// ~11 m per 0.0001° of latitude.
const fix = (seconds: number, dLat: number, deviceId = 7): PositionSample => ({
  deviceId,
  fixTimeMs: T0 + seconds * 1000,
  lat: scene.lat + dLat,
  lon: scene.lon,
  speedKmh: 0,
});

describe('arrival detector', () => {
  const watch = { ticketId: 1, deviceId: 7, ...scene, radiusMeters: 100, minDwellMs: 60_000 };

  it('fires once the vehicle has stayed within the radius for the minimum time, with the evidence', () => {
    const detector = new ArrivalDetector();
    detector.watch(watch);
    expect(detector.offer(fix(0, 0.01))).toEqual([]); // 1.1 km away
    expect(detector.offer(fix(10, 0.0005))).toEqual([]); // 55 m: inside, dwell starts
    expect(detector.offer(fix(40, 0.0002))).toEqual([]);
    const arrivals = detector.offer(fix(70, 0.0001));
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.arrivedAtMs).toBe(T0 + 10_000);
    expect(arrivals[0]!.evidence.map((e) => e.fixTimeMs - T0)).toEqual([10_000, 40_000, 70_000]);
    expect(arrivals[0]!.evidence[0]!.distanceMeters).toBeCloseTo(55.6, 0);
    expect(detector.offer(fix(80, 0))).toEqual([]); // already arrived
    expect(detector.watching).toBe(0);
  });

  it('restarts the dwell when the vehicle drives out again (passing by is not arriving)', () => {
    const detector = new ArrivalDetector();
    detector.watch(watch);
    detector.offer(fix(0, 0));
    detector.offer(fix(50, 0.002)); // 220 m: left
    expect(detector.offer(fix(100, 0))).toEqual([]);
    expect(detector.offer(fix(150, 0))).toEqual([]);
    expect(detector.offer(fix(160, 0))).toHaveLength(1);
  });

  it('ignores other vehicles and fixes replayed out of order', () => {
    const detector = new ArrivalDetector();
    detector.watch(watch);
    expect(detector.offer(fix(0, 0, 8))).toEqual([]);
    detector.offer(fix(100, 0));
    expect(detector.offer(fix(20, 0))).toEqual([]); // older than the last one seen
    expect(detector.offer(fix(130, 0))).toEqual([]);
    expect(detector.offer(fix(160, 0))).toHaveLength(1);
  });

  it('forgets a ticket that is unwatched (reassigned or handled by hand)', () => {
    const detector = new ArrivalDetector();
    detector.watch(watch);
    detector.unwatch(1);
    detector.offer(fix(0, 0));
    expect(detector.offer(fix(100, 0))).toEqual([]);
  });
});
