import { describe, expect, it } from 'vitest';
import { FenceIndex } from '../src/geofence/fence-index.ts';
import { AlarmDetector, alarmKey, type DetectorFence, type DetectorPosition } from '../src/alarms/detector.ts';
import { nextAlarmState } from '../src/alarms/state-machine.ts';

const fences: DetectorFence[] = [
  { id: 1, unitId: null, speedLimitKmh: 30, shape: { type: 'circle', center: { lat: 22.5, lon: 114 }, radiusMeters: 1000 } },
  { id: 2, unitId: 7, speedLimitKmh: null, shape: { type: 'circle', center: { lat: 22.5, lon: 114 }, radiusMeters: 200 } },
];
const device = { deviceId: 5, unitId: 8, speedLimitKmh: 80 };
let t = 0;
const at = (northM: number, speedKmh: number, alarms: string[] = []): DetectorPosition => ({
  fixTimeMs: 1_000_000 + ++t * 1000,
  lat: 22.5 + northM / 111_195,
  lon: 114,
  speedKmh,
  valid: true,
  alarms,
});

function detector(appliesTo = (fence: DetectorFence) => fence.unitId === null) {
  return new AlarmDetector(new FenceIndex(fences), appliesTo);
}

const kinds = (events: { kind: string; geofenceId: number | null }[]) => events.map((e) => `${e.kind}:${e.geofenceId ?? '-'}`);

describe('AlarmDetector', () => {
  it('reports fence entry and exit once each, only for fences that apply to the device', () => {
    const d = detector();
    expect(kinds(d.detect(device, at(5000, 20)))).toEqual([]);
    expect(kinds(d.detect(device, at(100, 20)))).toEqual(['geofenceEnter:1']);
    expect(kinds(d.detect(device, at(50, 20)))).toEqual([]);
    expect(kinds(d.detect(device, at(3000, 20)))).toEqual(['geofenceExit:1']);
    const all = detector(() => true);
    expect(kinds(all.detect(device, at(100, 20)))).toEqual(['geofenceEnter:1', 'geofenceEnter:2']);
  });

  it('raises overspeed on the rising edge, per device limit and per fence limit, with hysteresis', () => {
    const d = detector();
    d.detect(device, at(5000, 50));
    expect(kinds(d.detect(device, at(5000, 85)))).toEqual(['overspeed:-']);
    expect(kinds(d.detect(device, at(5000, 90)))).toEqual([]);
    expect(kinds(d.detect(device, at(5000, 78)))).toEqual([]); // within 5 km/h of the limit: still the same episode
    expect(kinds(d.detect(device, at(5000, 81)))).toEqual([]);
    expect(kinds(d.detect(device, at(5000, 60)))).toEqual([]);
    expect(kinds(d.detect(device, at(5000, 81)))).toEqual(['overspeed:-']);
    const events = d.detect(device, at(500, 40));
    expect(kinds(events)).toEqual(['geofenceEnter:1', 'overspeed:1']);
    expect(events[1]!.details).toEqual({ limitKmh: 30, speedKmh: 40 });
    expect(events[1]!.source).toBe('speed');
  });

  it('turns terminal alarm bits into one alarm per episode, even without a fix', () => {
    const d = detector();
    expect(kinds(d.detect(device, at(5000, 0, ['sos'])))).toEqual(['sos:-']);
    expect(kinds(d.detect(device, { ...at(5000, 0, ['sos', 'powerCut']), valid: false }))).toEqual(['powerCut:-']);
    expect(kinds(d.detect(device, at(5000, 0, [])))).toEqual([]);
    expect(kinds(d.detect(device, at(5000, 0, ['sos'])))).toEqual(['sos:-']);
  });

  it('ignores a fix older than the newest, and starts from remembered state after a restart', () => {
    const d = detector();
    d.detect(device, at(100, 20));
    const late = { ...at(5000, 20), fixTimeMs: 0 };
    expect(d.detect(device, late)).toEqual([]);
    const restarted = detector();
    restarted.remember(device.deviceId, { insideFenceIds: [1], raisedKeys: [alarmKey('terminal', 'sos', null)] });
    expect(kinds(restarted.detect(device, at(100, 20, ['sos'])))).toEqual([]);
    expect(restarted.insideOf(device.deviceId)).toEqual([1]);
  });

  it('forgets a deleted fence without an exit from it, and keeps each device\'s fences its own', () => {
    const d = detector(() => true);
    const other = { ...device, deviceId: 6 };
    expect(kinds(d.detect(other, at(5000, 20)))).toEqual([]);
    expect(kinds(d.detect(device, at(5000, 20)))).toEqual([]);
    expect(kinds(d.detect(device, at(100, 20)))).toEqual(['geofenceEnter:1', 'geofenceEnter:2']);
    expect(d.insideOf(other.deviceId)).toEqual([]);
    d.keepOnlyFences(new Set([1]));
    expect(d.insideOf(device.deviceId)).toEqual([1]);
    expect(kinds(d.detect(device, at(500, 20)))).toEqual([]);
    expect(kinds(d.detect(other, at(500, 20)))).toEqual(['geofenceEnter:1']);
    expect(kinds(d.detect(device, at(5000, 20)))).toEqual(['geofenceExit:1']);
    expect(d.insideOf(other.deviceId)).toEqual([1]);
  });
});

describe('nextAlarmState', () => {
  it('allows only open → acknowledged → assigned → resolved, and says why not', () => {
    expect(nextAlarmState('open', 'acknowledge')).toEqual({ to: 'acknowledged' });
    expect(nextAlarmState('acknowledged', 'assign')).toEqual({ to: 'assigned' });
    expect(nextAlarmState('assigned', 'assign')).toEqual({ to: 'assigned' });
    expect(nextAlarmState('assigned', 'resolve')).toEqual({ to: 'resolved' });
    expect(nextAlarmState('open', 'resolve')).toEqual({ refused: 'an alarm must be assigned to be resolved; this one is open' });
    expect(nextAlarmState('open', 'assign')).toEqual({ refused: 'an alarm must be acknowledged or assigned to be assigned; this one is open' });
    expect(nextAlarmState('resolved', 'acknowledge')).toEqual({ refused: 'the alarm is already resolved; it cannot be acknowledged' });
  });
});
