/**
 * The API's shapes as the console uses them (CONTRACT.md plus the routes' schemas). Fields the console does
 * not read are left out; optional ones are those the API may omit.
 */
import type { ConnectionStatus, DispatchStatus } from '../live/vehicle-diff.ts';

export interface Position {
  fixTime: string;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  altitude?: number;
  valid?: boolean;
  attributes?: Record<string, unknown>;
}

export interface LatestPosition extends Position {
  deviceId: number;
}

export interface Device {
  id: number;
  uniqueId: string;
  name: string;
  protocol?: 'gt06' | 'jt808';
  plate?: string | null;
  unitId?: number | null;
  status?: ConnectionStatus;
  dispatchStatus?: DispatchStatus;
  position?: Position | null;
}

export type UnitKind = 'city' | 'district' | 'squad';

export interface Unit {
  id: number;
  parentId: number | null;
  name: string;
  kind: UnitKind;
}

/** `GET /api/units/boundaries`: each visible unit's area, GeoJSON in WGS-84. */
export interface UnitBoundaries {
  type: 'FeatureCollection';
  features: Array<{
    type: 'Feature';
    id: number;
    geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
    properties: { id: number; parentId: number | null; name: string; kind: UnitKind };
  }>;
}

export type GeofenceShape =
  | { type: 'circle'; center: { lat: number; lon: number }; radiusMeters: number }
  | { type: 'polygon'; points: Array<{ lat: number; lon: number }> };

export interface Geofence {
  id: number;
  unitId: number | null;
  name: string;
  shape: GeofenceShape;
}

export interface Category {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  active: boolean;
}

export type CommandStatus = 'queued' | 'sent' | 'acknowledged' | 'failed' | 'expired';

export interface Command {
  id: number;
  status: CommandStatus;
}

export interface Nearest {
  deviceId: number;
  name: string;
  plate: string | null;
  unitId: number | null;
  dispatchStatus: DispatchStatus;
  distanceMeters: number;
  etaSeconds: number;
  position: Position;
}

export type TicketStatus =
  | 'registered'
  | 'accepted'
  | 'dispatched'
  | 'arrived'
  | 'handled'
  | 'verified'
  | 'closed'
  | 'returned'
  | 'reopened'
  | 'merged';

export type Channel = 'phone' | 'sms' | 'web' | 'email' | 'fax' | 'open311' | 'patrol' | 'video';
export type DispatchMethod = 'none' | 'phone' | 'email' | 'terminal';
export type ReplyMethod = 'none' | 'phone' | 'email' | 'sms';

export interface Ticket {
  id: number;
  number: string;
  status: TicketStatus;
  channel: Channel;
  category: string;
  categoryName: string;
  priority: 'normal' | 'urgent' | 'major';
  description: string;
  lat: number;
  lon: number;
  address: string | null;
  reporterPhone: string | null;
  unitId: number | null;
  unitName: string | null;
  deviceId: number | null;
  dispatchMethod: DispatchMethod | null;
  /** The order sent to the vehicle's terminal, and whether the terminal has acknowledged it. */
  dispatchCommand: { id: number; status: CommandStatus | null; acknowledgedAt: string | null } | null;
  result: string | null;
  registeredAt: string;
  dispatchedAt: string | null;
  arrivedAt: string | null;
  handledAt: string | null;
  closedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
}

export interface PlanStep {
  position: number;
  title: string;
  unitId: number | null;
  doneAt: string | null;
}

export interface TicketDetail extends Ticket {
  nextStates: TicketStatus[];
  timeline: Array<{
    id: number;
    at: string;
    kind: string;
    fromStatus: string | null;
    toStatus: string | null;
    actor: string;
    note: string | null;
    details?: { recordingUrl?: string };
  }>;
  planSteps: PlanStep[];
  attachments: Array<{ id: number; fileName: string; contentType: string }>;
  replies: Array<{ id: number; method: ReplyMethod; text: string; delivery: string; repliedAt: string }>;
  followups: Array<{ id: number; sequence: number; method: string; dueAt: string; status: string; result: string | null }>;
}

/** `POST /api/tickets` answers with the ticket and the open tickets that may report the same problem. */
export interface CreatedTicket extends Ticket {
  duplicates: Array<{ id: number; number: string; distanceMeters: number }>;
}

/** `GET /api/citizens/{phone}/history`: what the call centre knows about a caller. */
export interface CallerHistory {
  phone: string;
  tickets: Ticket[];
  replies: Array<{ id: number; ticketId: number; method: ReplyMethod; text: string; repliedAt: string }>;
  followups: Array<{ id: number; ticketId: number; status: string; result: string | null }>;
  summary: { tickets: number; open: number; dissatisfied: number };
}

export interface NewTicket {
  category: string;
  description: string;
  lat: number;
  lon: number;
  address?: string;
  reporterPhone?: string;
  channel: Channel;
}

export interface TicketFilter {
  status?: string;
  category?: string;
  overdue?: boolean;
  phone?: string;
}

export type AlarmState = 'open' | 'acknowledged' | 'assigned' | 'resolved';
export type AlarmChange = 'raised' | 'acknowledged' | 'assigned' | 'resolved';

export interface Alarm {
  id: number;
  deviceId: number;
  unitId: number | null;
  source?: 'terminal' | 'geofence' | 'speed';
  kind: string;
  occurredAt: string;
  lat: number | null;
  lon: number | null;
  state: AlarmState;
}

export type TrackFormat = 'gpx' | 'csv' | 'geojson';

/** One vehicle's part of `GET /api/tracks` (format json): the fixes, and what the server derived from all of them. */
export interface TrackEntry {
  deviceId: number;
  uniqueId: string;
  name: string;
  plate: string | null;
  points: Position[];
  stops: Array<{ startTime: string; endTime: string; durationSeconds: number; lat: number; lon: number }>;
  alarms: Array<{ id: number; kind: string; time: string; lat: number | null; lon: number | null; state: string }>;
  summary: {
    pointCount: number;
    returnedPoints: number;
    distanceMeters: number;
    movingSeconds: number;
    maxSpeedKmh: number;
    averageSpeedKmh: number;
    startTime: string | null;
    endTime: string | null;
  };
}

export interface TrackDocument {
  from: string;
  to: string;
  toleranceMeters: number | null;
  tracks: TrackEntry[];
}
