import { isoTime, type Position } from '@urbanlink/protocols';
import type { Motion } from './motion.ts';

/** One position as the writer stores it: the table's columns in the table's order. */
export interface PositionRow {
  deviceId: number;
  /** Whole milliseconds since the epoch. */
  fixTimeMs: number;
  latE6: number;
  lonE6: number;
  altitudeM: number;
  speedKmh: number;
  course: number;
  valid: boolean;
  satellites: number | null;
  ignition: boolean | null;
  odometerKm: number | null;
  fuelL: number | null;
  alarms: readonly string[];
  attributes: string;
  distanceM: number;
  movingS: number;
  onDutyS: number;
}

export const POSITION_COLUMNS = [
  'device_id',
  'fix_time',
  'lat_e6',
  'lon_e6',
  'altitude_m',
  'speed_kmh',
  'course',
  'valid',
  'satellites',
  'ignition',
  'odometer_km',
  'fuel_l',
  'alarms',
  'attributes',
  'distance_m',
  'moving_s',
  'on_duty_s',
] as const;

/** Micro-degrees, rounded to nearest: what is read back is round(deg × 10⁶) / 10⁶. */
export function toE6(degrees: number): number {
  return Math.round(degrees * 1e6);
}

/** Whole milliseconds: the key under which a fix is stored and reported back. */
export function fixTimeKey(deviceId: number, fixTimeMs: number): string {
  return `${deviceId}:${Math.round(fixTimeMs)}`;
}

export function toPositionRow(deviceId: number, position: Position, motion: Motion, attributesJson = JSON.stringify(position.attributes)): PositionRow {
  return {
    deviceId,
    fixTimeMs: Math.round(position.fixTimeMs),
    latE6: toE6(position.lat),
    lonE6: toE6(position.lon),
    altitudeM: position.altitudeM,
    speedKmh: position.speedKmh,
    course: Math.round(position.course),
    valid: position.valid,
    satellites: position.satellites,
    ignition: position.ignition,
    odometerKm: position.odometerKm,
    fuelL: position.fuelL,
    alarms: position.alarms,
    attributes: attributesJson,
    distanceM: motion.distanceM,
    movingS: motion.movingS,
    onDutyS: motion.onDutyS,
  };
}

/** The same rows as one array per column, for INSERT … SELECT FROM unnest($1, $2, …). */
export function toColumnArrays(rows: readonly PositionRow[]): unknown[][] {
  return [
    rows.map((r) => r.deviceId),
    rows.map((r) => isoTime(r.fixTimeMs)),
    rows.map((r) => r.latE6),
    rows.map((r) => r.lonE6),
    rows.map((r) => r.altitudeM),
    rows.map((r) => r.speedKmh),
    rows.map((r) => r.course),
    rows.map((r) => r.valid),
    rows.map((r) => r.satellites),
    rows.map((r) => r.ignition),
    rows.map((r) => r.odometerKm),
    rows.map((r) => r.fuelL),
    // unnest flattens a two-dimensional array, so each row's alarms travel as one comma-joined string.
    rows.map((r) => r.alarms.join(',')),
    rows.map((r) => r.attributes),
    rows.map((r) => r.distanceM),
    rows.map((r) => r.movingS),
    rows.map((r) => r.onDutyS),
  ];
}
