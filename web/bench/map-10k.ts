/**
 * In the browser: 10 000 vehicles on the console's map, 1 000 of them moving per tick: every 100 ms by default
 * (ten times the API's push rate), every second with `?tick=1000`. Ours: `updateData` diffs keyed by device id,
 * coalesced as the console coalesces them. Baseline, same page and same moves: the whole FeatureCollection
 * through `setData` on every tick (traccar-web's approach). Results go to `window.benchResult`.
 */
import type { Feature, Point } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { FrameCoalescer, MAP_PUSH_MIN_INTERVAL_MS, VehicleDiffer, shadeOf } from '../src/live/vehicle-diff.ts';
import { ConsoleMap } from '../src/map/map.ts';
import { VehiclesLayer } from '../src/map/layers/vehicles.ts';
import { DEFAULT_BASEMAP } from '../src/map/basemaps.ts';

const VEHICLES = 10_000;
const MOVES_PER_TICK = 1_000;
// ?tick=1000 is the API's own push rate (one coalesced tick a second); the default is ten times that.
const TICK_MS = Number(new URLSearchParams(location.search).get('tick') ?? 100);
const RUN_MS = 8_000;
const CENTRE: [number, number] = [114.06, 22.55];

interface RunResult {
  fps: number;
  p95FrameMs: number;
  /** Main-thread time spent handing the changes to the map, per tick. */
  pushMsPerTick: number;
}

declare global {
  interface Window {
    benchResult?: { ours: RunResult; baseline: RunResult } | { error: string };
  }
}

function randomFleet(differ: VehicleDiffer): void {
  for (let id = 1; id <= VEHICLES; id++) {
    differ.upsert({
      id,
      plate: `粤B${String(id).padStart(5, '0')}`,
      status: id % 10 === 0 ? 'offline' : 'online',
      dispatchStatus: id % 3 === 0 ? 'on_task' : 'standby',
      lat: CENTRE[1] + (Math.random() - 0.5) * 0.3,
      lon: CENTRE[0] + (Math.random() - 0.5) * 0.3,
      course: Math.random() * 360,
    });
  }
}

function move(differ: VehicleDiffer, tick: number): void {
  for (let k = 0; k < MOVES_PER_TICK; k++) {
    const id = ((tick * MOVES_PER_TICK + k) % VEHICLES) + 1;
    const v = differ.vehicles.get(id)!;
    differ.upsert({ id, lat: v.lat! + (Math.random() - 0.5) * 0.001, lon: v.lon! + (Math.random() - 0.5) * 0.001, course: Math.random() * 360 });
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function run(mode: 'ours' | 'baseline'): Promise<RunResult> {
  const container = document.getElementById('map')!;
  const differ = new VehicleDiffer();
  randomFleet(differ);
  const map = new ConsoleMap(container, DEFAULT_BASEMAP, CENTRE, 12);
  const layer = new VehiclesLayer(() => differ.vehicles.values(), () => undefined);
  map.register(layer);
  differ.flush();
  await new Promise<void>((resolve) => map.map.once('idle', () => resolve()));

  let pushMs = 0;
  let ticks = 0;
  let pushed = 0;
  const coalescer = new FrameCoalescer(
    (run) => requestAnimationFrame(run),
    () => {
      const started = performance.now();
      const diff = differ.flush();
      pushed += diff.update.length;
      layer.update(diff);
      pushMs += performance.now() - started;
    },
    { minIntervalMs: MAP_PUSH_MIN_INTERVAL_MS },
  );
  const timer = setInterval(() => {
    move(differ, ticks++);
    if (mode === 'ours') {
      coalescer.request();
      return;
    }
    const started = performance.now();
    pushed += differ.flush().update.length;
    const features: Feature<Point>[] = [];
    for (const v of differ.vehicles.values()) {
      features.push({ type: 'Feature', id: v.id, geometry: { type: 'Point', coordinates: [v.lon!, v.lat!] }, properties: { plate: v.plate, shade: shadeOf(v), course: v.course } });
    }
    void map.map.getSource<GeoJSONSource>('vehicles')!.setData({ type: 'FeatureCollection', features });
    pushMs += performance.now() - started;
  }, TICK_MS);

  const frames: number[] = [];
  await new Promise<void>((resolve) => {
    const started = performance.now();
    let last = started;
    const frame = (now: number) => {
      frames.push(now - last);
      last = now;
      if (now - started < RUN_MS) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
  clearInterval(timer);
  map.map.remove();
  const total = frames.reduce((a, b) => a + b, 0);
  // A run that moved nothing would measure an idle map (the last pushes may still be queued on a busy machine).
  if (pushed < ticks * MOVES_PER_TICK * 0.8) throw new Error(`${mode}: only ${pushed} of ${ticks * MOVES_PER_TICK} moves reached the map`);
  return { fps: (frames.length / total) * 1_000, p95FrameMs: percentile(frames, 0.95), pushMsPerTick: pushMs / Math.max(1, ticks) };
}

try {
  const ours = await run('ours');
  const baseline = await run('baseline');
  window.benchResult = { ours, baseline };
} catch (error) {
  window.benchResult = { error: (error as Error).stack ?? String(error) };
}
