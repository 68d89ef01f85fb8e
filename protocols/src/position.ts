import { isoTime } from './iso-time.ts';

/**
 * The normalised alarm vocabulary shared by both protocols. Terminal-specific alarm bits map onto these
 * names; what has no common name stays in the position's attributes.
 */
export const ALARMS = [
  'sos',
  'overspeed',
  'overspeedWarning',
  'fatigue',
  'fatigueWarning',
  'powerCut',
  'lowBattery',
  'lowExternalPower',
  'vibration',
  'movement',
  'collision',
  'rollover',
  'tampering',
  'geofenceEnter',
  'geofenceExit',
  'routeDeviation',
  'drivingTimeout',
  'parkingTimeout',
  'illegalIgnition',
  'illegalMovement',
  'fuelAbnormal',
  'stolen',
  'doorOpen',
  'gnssFault',
  'gnssAntennaCut',
  'gnssAntennaShort',
  'hardwareFault',
  'cameraFault',
  'earlyWarning',
  'accident',
  'harshAcceleration',
  'harshBraking',
  'harshCornering',
  'temperature',
  'general',
] as const;
export type Alarm = (typeof ALARMS)[number];

/**
 * One fix from one terminal, the same shape whichever protocol carried it. Every field is always present
 * (null when the terminal did not say) so all positions share one hidden class on the hot path.
 */
export interface Position {
  /** GT06 IMEI, or the JT/T 808 terminal phone number without leading zeros ('' until the session knows). */
  uniqueId: string;
  /** Fix time, milliseconds since the epoch, UTC (device clock offsets already applied). */
  fixTimeMs: number;
  /** WGS-84 degrees, signed (south and west negative). */
  lat: number;
  lon: number;
  altitudeM: number;
  speedKmh: number;
  /** Heading in degrees clockwise from north, 0..359. */
  course: number;
  valid: boolean;
  satellites: number | null;
  ignition: boolean | null;
  odometerKm: number | null;
  fuelL: number | null;
  alarms: Alarm[];
  /** Protocol-specific rest: cell tower, signal, status bits, unknown items as hex, … */
  attributes: Record<string, unknown>;
}

/**
 * A Position for a message that has no fix (GT06 0x19, an LBS alarm): at (0, 0), invalid, nothing measured,
 * for the caller to place (at the last known fix, for instance) and to fill in.
 */
export function positionWithoutFix(uniqueId: string, fixTimeMs: number): Position {
  return {
    uniqueId,
    fixTimeMs,
    lat: 0,
    lon: 0,
    altitudeM: 0,
    speedKmh: 0,
    course: 0,
    valid: false,
    satellites: null,
    ignition: null,
    odometerKm: null,
    fuelL: null,
    alarms: [],
    attributes: {},
  };
}

/** The contract's JSON form of a position (CONTRACT.md: `urbanlink decode`, MQTT, API). */
export interface PositionJson {
  fixTime: string;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  altitude: number;
  valid: boolean;
  satellites: number | null;
  ignition: boolean | null;
  odometerKm: number | null;
  fuelL: number | null;
  alarms: Alarm[];
  attributes: Record<string, unknown>;
}

export function positionToJson(position: Position): PositionJson {
  return {
    fixTime: isoTime(position.fixTimeMs),
    lat: position.lat,
    lon: position.lon,
    speedKmh: position.speedKmh,
    course: position.course,
    altitude: position.altitudeM,
    valid: position.valid,
    satellites: position.satellites,
    ignition: position.ignition,
    odometerKm: position.odometerKm,
    fuelL: position.fuelL,
    alarms: position.alarms,
    attributes: position.attributes,
  };
}
