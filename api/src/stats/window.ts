import type { FastifyRequest } from 'fastify';
import type { StatsWindow } from '@urbanlink/db';
import { HttpError } from '../plugins/errors.ts';
import { scopeUnit, visibleUnitSubtree } from '../plugins/scope.ts';
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
    // Outside the caller's units or missing: the same 404, so that unit ids cannot be probed.
    unitIds = await visibleUnitSubtree(request, query.unitId);
  } else {
    const scope = scopeUnit(request);
    unitIds = scope === null ? null : await request.server.unitTrees.subtreeIds(scope);
  }
  return { fromMs, toMs, asOfMs: Math.min(toMs, nowMs), unitIds, timeZone };
}
