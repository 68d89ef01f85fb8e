/**
 * Playback of a month of 1 Hz fixes (2 592 000 per vehicle): the cost of simplifying the line for a zoom
 * level and of placing a vehicle at the clock's time each frame. Baselines, measured in the same run: one
 * plain pass over every fix (the least any drawing must do), and a linear scan for the frame's fix.
 *
 *   npx tsx web/bench/playback.bench.ts
 */
import { simplifyIndices, toleranceForZoom } from '../src/playback/simplify.ts';
import { sampleAt, type Track } from '../src/playback/track.ts';

const N = 2_592_000;

// A patrol car on a street grid: 10 m/s, turning every 60–180 s, parked now and then, with GPS jitter.
function month(): Track {
  const track: Track = { deviceId: 1, time: new Float64Array(N), lat: new Float64Array(N), lon: new Float64Array(N), speedKmh: new Float32Array(N), course: new Float32Array(N) };
  let lat = 22.54;
  let lon = 114.05;
  let heading = 0;
  let nextTurn = 90;
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < N; i++) {
    const parked = i % 7_200 > 6_600;
    if (!parked) {
      if (--nextTurn <= 0) {
        heading = (heading + (random() < 0.5 ? 90 : 270)) % 360;
        nextTurn = 60 + Math.floor(random() * 120);
      }
      lat += (Math.cos((heading * Math.PI) / 180) * 10) / 111_195;
      lon += (Math.sin((heading * Math.PI) / 180) * 10) / 102_800;
    }
    track.time[i] = 1_790_000_000_000 + i * 1_000;
    track.lat[i] = lat + (random() - 0.5) * 2e-5;
    track.lon[i] = lon + (random() - 0.5) * 2e-5;
    track.speedKmh[i] = parked ? 0 : 36;
    track.course[i] = heading;
  }
  return track;
}

function time<T>(run: () => T): [number, T] {
  const start = performance.now();
  const value = run();
  return [performance.now() - start, value];
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

const track = month();

// Baseline: one pass over every fix, summing squared steps (what any whole-line drawing touches at least).
const passes: number[] = [];
let sink = 0;
for (let r = 0; r < 5; r++) {
  passes.push(
    time(() => {
      let sum = 0;
      for (let i = 1; i < N; i++) {
        const dx = track.lon[i]! - track.lon[i - 1]!;
        const dy = track.lat[i]! - track.lat[i - 1]!;
        sum += dx * dx + dy * dy;
      }
      sink += sum;
    })[0],
  );
}
const pass = median(passes);
console.log(`fixes: ${N.toLocaleString('en')}  baseline one pass over every fix: ${pass.toFixed(1)} ms`);
for (const zoom of [10, 12, 14]) {
  const runs: number[] = [];
  let kept = 0;
  for (let r = 0; r < 3; r++) {
    const [ms, indices] = time(() => simplifyIndices(track, toleranceForZoom(zoom)));
    runs.push(ms);
    kept = indices.length;
  }
  const ms = median(runs);
  console.log(`simplify for zoom ${zoom}: ${ms.toFixed(1)} ms, ${kept.toLocaleString('en')} vertices kept (${(ms / pass).toFixed(1)}× one pass)`);
}

// Per frame: where is the vehicle at the clock's time? Binary search against a linear scan.
const FRAMES = 10_000;
const t0 = track.time[0]!;
const span = track.time[N - 1]! - t0;
const [searchMs] = time(() => {
  for (let f = 0; f < FRAMES; f++) sink += sampleAt(track, t0 + (span * f) / FRAMES)!.lat;
});
const [scanMs] = time(() => {
  for (let f = 0; f < 200; f++) {
    const t = t0 + (span * f) / 200;
    let i = 0;
    while (i < N - 1 && track.time[i + 1]! <= t) i++;
    sink += track.lat[i]!;
  }
});
const perFrameSearch = (searchMs / FRAMES) * 1_000;
const perFrameScan = (scanMs / 200) * 1_000;
console.log(
  `position at the clock's time: ${perFrameSearch.toFixed(2)} µs per vehicle per frame (binary search); ` +
    `baseline linear scan ${perFrameScan.toFixed(0)} µs (${(perFrameScan / perFrameSearch).toFixed(0)}× slower)`,
);
// Printed so the engine cannot drop the measured loops as unused.
console.log(`checksum ${sink.toExponential(3)}`);
