import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../src/track/geodesy.ts';
import { TrackStatsAccumulator } from '../src/track/track-stats.ts';
import { TripDetector } from '../src/track/trips.ts';
import { fix } from './track-fixtures.ts';

describe('haversineMeters', () => {
  it('matches a known distance (Shenzhen to Guangzhou, about 104 km)', () => {
    expect(haversineMeters(22.5431, 114.0579, 23.1291, 113.2644) / 1000).toBeCloseTo(104.5, 0);
  });
});

describe('TrackStatsAccumulator', () => {
  it('sums distance, moving time, maximum and average speed, skipping invalid fixes and gaps', () => {
    const stats = new TrackStatsAccumulator({ movingSpeedKmh: 5, maxGapSeconds: 60 });
    // 100 s at 36 km/h = 1000 m, then a 10-minute gap, then 10 s more at 72 km/h = 200 m.
    for (let t = 0; t <= 100; t++) stats.add(fix(t, t * 10, 36));
    stats.add({ ...fix(200, 5000, 90), valid: false });
    for (let t = 0; t <= 10; t++) stats.add(fix(700 + t, 1000 + t * 20, 72));
    const result = stats.result();
    expect(result.pointCount).toBe(113);
    expect(result.distanceMeters).toBeCloseTo(1200, 0);
    expect(result.movingSeconds).toBe(110);
    expect(result.maxSpeedKmh).toBe(72);
    expect(result.averageSpeedKmh).toBeCloseTo((1200 / 110) * 3.6, 0);
  });
});

describe('TripDetector', () => {
  const options = { stopSpeedKmh: 5, minStopSeconds: 120 };

  it('finds drive, stop, drive, with a short halt left inside a trip', () => {
    const trips = new TripDetector(options);
    let t = 0;
    let north = 0;
    const drive = (seconds: number) => {
      for (let i = 0; i < seconds; i++) trips.add(fix(t++, (north += 10), 36));
    };
    const halt = (seconds: number) => {
      for (let i = 0; i < seconds; i++) trips.add(fix(t++, north, 0));
    };
    drive(100);
    halt(30); // a traffic light
    drive(100);
    halt(600); // parked
    drive(50);
    const { trips: found, stops } = trips.finish();
    expect(stops).toHaveLength(1);
    expect(stops[0]!.durationSeconds).toBe(600);
    expect(found).toHaveLength(2);
    expect(found[0]!.distanceMeters).toBeCloseTo(1990, -1);
    expect(found[0]!.endTime).toBe(stops[0]!.startTime);
    expect(found[1]!.startTime).toBe(stops[0]!.endTime - 1000);
    expect(found[1]!.distanceMeters).toBeCloseTo(500, -1);
    expect(found[1]!.maxSpeedKmh).toBe(36);
  });

  it('makes a final stop of a track that ends parked, and no trip of a track that never moves', () => {
    const moving = new TripDetector(options);
    for (let t = 0; t < 60; t++) moving.add(fix(t, t * 10, 36));
    for (let t = 60; t < 400; t++) moving.add(fix(t, 600, 0));
    const a = moving.finish();
    expect(a.trips).toHaveLength(1);
    expect(a.stops).toHaveLength(1);
    expect(a.stops[0]!.endTime).toBe(fix(399, 0, 0).fixTimeMs);

    const parked = new TripDetector(options);
    for (let t = 0; t < 400; t++) parked.add(fix(t, 0, 0));
    const b = parked.finish();
    expect(b.trips).toHaveLength(0);
    expect(b.stops).toHaveLength(1);
  });

  it('counts a long silence while parked as a stop', () => {
    const trips = new TripDetector(options);
    trips.add(fix(0, 0, 30));
    trips.add(fix(10, 100, 0));
    trips.add(fix(3600, 100, 30));
    trips.add(fix(3610, 200, 30));
    const { trips: found, stops } = trips.finish();
    expect(stops).toHaveLength(1);
    expect(stops[0]!.durationSeconds).toBe(3590);
    expect(found).toHaveLength(2);
  });
});
