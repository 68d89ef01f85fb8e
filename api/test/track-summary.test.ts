import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../src/track/geodesy.ts';
import type { TrackPage } from '../src/track/track-page.ts';
import { TrackStatsAccumulator } from '../src/track/track-stats.ts';
import { TripDetector } from '../src/track/trips.ts';
import { HopMeter } from '../src/track/hops.ts';
import { fix, pageOf, type Fix } from './track-fixtures.ts';

/** Feeds fixes to a stats accumulator or trip detector in pages of `pageSize`, as streamTracks does. */
function feed(consumer: { add(page: TrackPage, hops: Float64Array): void }, fixes: readonly Fix[], pageSize = 7): void {
  const hops = new HopMeter();
  for (let at = 0; at < fixes.length; at += pageSize) {
    const page = pageOf(fixes.slice(at, at + pageSize));
    consumer.add(page, hops.measure(page));
  }
}

describe('haversineMeters', () => {
  it('matches a known distance (Shenzhen to Guangzhou, about 104 km)', () => {
    expect(haversineMeters(22.5431, 114.0579, 23.1291, 113.2644) / 1000).toBeCloseTo(104.5, 0);
  });
});

describe('TrackStatsAccumulator', () => {
  it('sums distance, moving time, maximum and average speed, skipping invalid fixes and gaps', () => {
    const stats = new TrackStatsAccumulator({ movingSpeedKmh: 5, maxGapSeconds: 60 });
    // 100 s at 36 km/h = 1000 m, then a 10-minute gap, then 10 s more at 72 km/h = 200 m.
    const fixes = Array.from({ length: 101 }, (_, t) => fix(t, t * 10, 36));
    fixes.push({ ...fix(200, 5000, 90), valid: false });
    for (let t = 0; t <= 10; t++) fixes.push(fix(700 + t, 1000 + t * 20, 72));
    feed(stats, fixes);
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
    const fixes: Fix[] = [];
    let t = 0;
    let north = 0;
    const drive = (seconds: number) => {
      for (let i = 0; i < seconds; i++) fixes.push(fix(t++, (north += 10), 36));
    };
    const halt = (seconds: number) => {
      for (let i = 0; i < seconds; i++) fixes.push(fix(t++, north, 0));
    };
    drive(100);
    halt(30); // a traffic light
    drive(100);
    halt(600); // parked
    drive(50);
    feed(trips, fixes);
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
    feed(moving, Array.from({ length: 400 }, (_, t) => (t < 60 ? fix(t, t * 10, 36) : fix(t, 600, 0))));
    const a = moving.finish();
    expect(a.trips).toHaveLength(1);
    expect(a.stops).toHaveLength(1);
    expect(a.stops[0]!.endTime).toBe(fix(399, 0, 0).fixTimeMs);

    const parked = new TripDetector(options);
    feed(parked, Array.from({ length: 400 }, (_, t) => fix(t, 0, 0)));
    const b = parked.finish();
    expect(b.trips).toHaveLength(0);
    expect(b.stops).toHaveLength(1);
  });

  it('counts a long silence while parked as a stop', () => {
    const trips = new TripDetector(options);
    feed(trips, [fix(0, 0, 30), fix(10, 100, 0), fix(3600, 100, 30), fix(3610, 200, 30)], 2);
    const { trips: found, stops } = trips.finish();
    expect(stops).toHaveLength(1);
    expect(stops[0]!.durationSeconds).toBe(3590);
    expect(found).toHaveLength(2);
  });
});
