import type { FastifyRequest } from 'fastify';
import type { StatsWindow } from '@urbanlink/db';
import { HttpError } from '../plugins/errors.ts';
import { canSeeUnit, scopeUnit } from '../plugins/scope.ts';
import { requestTimeMs } from '../schemas/request-time.ts';

export interface WindowQuery {
  from?: string | undefined;
  to?: string | undefined;
  unitId?: number | undefined;
  tz?: string | undefined;
}

export interface ResolvedWindow extends StatsWindow {
  /** Zone of days, weeks and months. */
  timeZone: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The period (default: the 30 days up to now), the units (the caller's subtree, or the subtree of `unitId`
 * inside it) and the zone of a statistics request; closures count up to the earlier of `to` and now.
 */
export async function resolveWindow(request: FastifyRequest, query: WindowQuery): Promise<ResolvedWindow> {
  const nowMs = request.server.ticketSettings.now();
  const toMs = query.to ? requestTimeMs(query.to, 'to') : nowMs;
  const fromMs = query.from ? requestTimeMs(query.from, 'from') : toMs - DEFAULT_DAYS * DAY_MS;
  if (!(fromMs < toMs)) throw new HttpError(400, 'from must be before to / 开始时间须早于结束时间', 'from');
  const timeZone = query.tz ?? request.server.ticketSettings.numberTimeZone;
  if (!validZone(timeZone)) throw new HttpError(400, `unknown time zone '${timeZone}' / 未知时区`, 'tz');
  let unitIds: number[] | null;
  if (query.unitId !== undefined) {
    if (!(await canSeeUnit(request, query.unitId))) throw new HttpError(403, `unit ${query.unitId} lies outside your units / 无权查看该单位`);
    unitIds = await request.server.unitTrees.subtreeIds(query.unitId);
    if (unitIds.length === 0) throw new HttpError(404, `unit ${query.unitId} not found / 单位不存在`);
  } else {
    const scope = scopeUnit(request);
    unitIds = scope === null ? null : await request.server.unitTrees.subtreeIds(scope);
  }
  return { fromMs, toMs, asOfMs: Math.min(toMs, nowMs), unitIds, timeZone };
}
