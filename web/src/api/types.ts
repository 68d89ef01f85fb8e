/**
 * The API's shapes as the console uses them (CONTRACT.md plus the routes' schemas). Fields the console does
 * not read are left out; optional ones are those the API may omit.
 */
import type { Geometry } from 'geojson';
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
  ticketId?: number | null;
}

export interface Unit {
  id: number;
  name: string;
  parentId?: number | null;
  level?: string;
  /** The unit's area, GeoJSON (Multi)Polygon, when one is drawn. */
  boundary?: Geometry | null;
}

export interface Geofence {
  id: number;
  name: string;
  area?: Geometry | null;
  geometry?: Geometry | null;
}

export type CommandStatus = 'queued' | 'sent' | 'acknowledged' | 'failed' | 'expired';

export interface Command {
  id: number;
  deviceId?: number;
  type: string;
  status: CommandStatus;
  createdAt?: string;
}

export interface Nearest {
  deviceId: number;
  distanceMeters: number;
  etaSeconds?: number | null;
  dispatchStatus: DispatchStatus;
  position: Position;
  name?: string;
  plate?: string | null;
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

export type Channel = 'phone' | 'sms' | 'web' | 'email' | 'fax' | 'open311';
export type DispatchMethod = 'none' | 'phone' | 'email' | 'terminal';

export interface TimelineEntry {
  at: string;
  to?: string;
  from?: string | null;
  action?: string;
  by?: string | null;
  note?: string | null;
}

export interface Ticket {
  id: number;
  number: string;
  status: TicketStatus;
  category: string;
  description: string;
  lat: number;
  lon: number;
  address?: string | null;
  reporterPhone?: string | null;
  channel: Channel;
  createdAt?: string;
  dueAt?: string | null;
  overdue?: boolean;
  unitId?: number | null;
  deviceId?: number | null;
  dispatchedAt?: string | null;
  arrivedAt?: string | null;
  closedAt?: string | null;
  result?: string | null;
  major?: boolean;
  photos?: Array<{ id?: number; url: string }>;
  timeline?: TimelineEntry[];
  duplicates?: Array<{ id: number; number: string; distanceMeters?: number; description?: string }>;
  commandId?: number | null;
  commandStatus?: CommandStatus | null;
  followUps?: Array<{ id: number; dueAt?: string; method?: string; status?: string; result?: string | null }>;
  plan?: { name: string; steps: Array<{ id: number | string; text: string; done: boolean; unitId?: number | null }> } | null;
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
  unitId?: number;
  category?: string;
  overdue?: boolean;
}

export interface CitizenHistory {
  phone: string;
  tickets: Array<Pick<Ticket, 'id' | 'number' | 'status' | 'category' | 'description'> & { createdAt?: string; reply?: string | null }>;
}

export type AlarmStatus = 'new' | 'acknowledged' | 'assigned' | 'resolved';

export interface Alarm {
  id: number;
  deviceId?: number | null;
  type: string;
  status: AlarmStatus;
  time?: string;
  createdAt?: string;
  lat?: number | null;
  lon?: number | null;
  assigneeId?: number | null;
  note?: string | null;
}

export type TrackFormat = 'gpx' | 'csv' | 'geojson';
