import {
  dispatchAckDurations,
  followupSatisfaction,
  staffWorkload,
  ticketCountsBy,
  ticketHotspots,
  ticketStageDurations,
  vehicleDays,
  vehicleTotals,
  type DispatchAckSummary,
  type DurationSummary,
  type HotspotCell,
  type SatisfactionCounts,
  type SqlClient,
  type StaffWorkload,
  type TicketCounts,
  type TicketGrouping,
  type TicketGroupCounts,
  type TicketStage,
  type VehicleDay,
  type VehicleTotals,
} from '@urbanlink/db';
import { DEFINITIONS, satisfactionRate, sumCounts, ticketRates, type TicketRates } from './definitions.ts';
import type { ResolvedWindow } from './window.ts';

/** What every answer says about the period it covers. */
export interface Period {
  from: string;
  to: string;
  asOf: string;
  timeZone: string;
}

export function periodOf(w: ResolvedWindow): Period {
  return { from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs).toISOString(), asOf: new Date(w.asOfMs).toISOString(), timeZone: w.timeZone };
}

export type TicketGroup = TicketGroupCounts & TicketRates;

export interface TicketStats extends Period, TicketCounts, TicketRates {
  groupBy: TicketGrouping;
  groups: TicketGroup[];
  definitions: typeof DEFINITIONS;
}

/** CONTRACT.md's ticket statistics: volume, 应结案数, 结案率 and 按期结案率, overall and per group. */
export async function ticketStats(db: SqlClient, w: ResolvedWindow, groupBy: TicketGrouping): Promise<TicketStats> {
  const rows = await ticketCountsBy(db, w, groupBy, w.timeZone);
  const totals = sumCounts(rows);
  return {
    ...periodOf(w),
    ...totals,
    ...ticketRates(totals),
    groupBy,
    groups: rows.map((row) => ({ ...row, ...ticketRates(row) })),
    definitions: DEFINITIONS,
  };
}

export interface DurationStats extends Period {
  stages: Record<TicketStage, DurationSummary>;
  dispatchAck: DispatchAckSummary;
  definitions: Pick<typeof DEFINITIONS, 'period' | 'durations'>;
}

export async function durationStats(db: SqlClient, w: ResolvedWindow): Promise<DurationStats> {
  const [stages, dispatchAck] = await Promise.all([ticketStageDurations(db, w), dispatchAckDurations(db, w)]);
  return { ...periodOf(w), stages, dispatchAck, definitions: { period: DEFINITIONS.period, durations: DEFINITIONS.durations } };
}

export interface WorkloadStats extends Period {
  staff: StaffWorkload[];
}

export async function workloadStats(db: SqlClient, w: ResolvedWindow): Promise<WorkloadStats> {
  return { ...periodOf(w), staff: await staffWorkload(db, w) };
}

export interface SatisfactionStats extends Period, SatisfactionCounts {
  visits: number;
  satisfactionRate: number | null;
  definitions: Pick<typeof DEFINITIONS, 'satisfactionRate'>;
}

export async function satisfactionStats(db: SqlClient, w: ResolvedWindow): Promise<SatisfactionStats> {
  const counts = await followupSatisfaction(db, w);
  const visits = counts.satisfied + counts.basicallySatisfied + counts.dissatisfied + counts.unreachable;
  return { ...periodOf(w), ...counts, visits, satisfactionRate: satisfactionRate(counts), definitions: { satisfactionRate: DEFINITIONS.satisfactionRate } };
}

export interface VehicleStats extends Period {
  days: VehicleDay[];
  vehicles: VehicleTotals[];
  totals: { distanceM: number; movingS: number; onDutyS: number; vehicleDays: number };
}

/** Mileage, time moving and time on duty from the daily aggregate; days are UTC days as the aggregate buckets them. */
export async function vehicleStats(db: SqlClient, w: ResolvedWindow): Promise<VehicleStats> {
  const [days, vehicles] = await Promise.all([vehicleDays(db, w), vehicleTotals(db, w)]);
  const totals = { distanceM: 0, movingS: 0, onDutyS: 0, vehicleDays: 0 };
  for (const day of days) {
    totals.distanceM += day.distanceM;
    totals.movingS += day.movingS;
    totals.onDutyS += day.onDutyS;
    totals.vehicleDays += day.vehicles;
  }
  return { ...periodOf(w), days, vehicles, totals };
}

export interface HotspotOptions {
  cellMeters: number;
  minCount: number;
  limit: number;
}

export interface HotspotStats extends Period {
  cellDeg: number;
  /** Ticket counts per cell, all categories: the heat map. */
  cells: HotspotCell[];
  /** Cells where the same category recurs at least `minCount` times: the table. */
  recurring: HotspotCell[];
}

const METERS_PER_DEGREE = 111_320;

/** A grid of roughly `cellMeters` (in latitude; cells narrow towards the poles, which a city never sees). */
export async function hotspotStats(db: SqlClient, w: ResolvedWindow, options: HotspotOptions): Promise<HotspotStats> {
  const cellDeg = options.cellMeters / METERS_PER_DEGREE;
  const [cells, recurring] = await Promise.all([
    ticketHotspots(db, w, { cellDeg, minCount: 1, limit: 5000, byCategory: false }),
    ticketHotspots(db, w, { cellDeg, minCount: options.minCount, limit: options.limit, byCategory: true }),
  ]);
  return { ...periodOf(w), cellDeg, cells, recurring };
}
