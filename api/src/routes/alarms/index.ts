import fp from 'fastify-plugin';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { findAlarmById, getUser, listAlarms, transitionAlarm, type AlarmRecord, type AlarmState } from '@urbanlink/db';
import { audit } from '../../plugins/audit.ts';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { canSeeUnit, unitScope, visibleUnitSubtree } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';
import { AlarmPipeline } from '../../alarms/alarm-pipeline.ts';
import { publishAlarm } from '../../alarms/publish.ts';
import { ALARM_STEPS, nextAlarmState, type AlarmAction } from '../../alarms/state-machine.ts';
import { AcknowledgeBody, Alarm, AlarmListQuery, AssignBody, ResolveBody } from './schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Alarm detection on the live positions; the geofence routes ask it to reload after an edit. */
    alarmPipeline: AlarmPipeline;
  }
}

export interface AlarmRoutesOptions {
  /** How often fences, units and devices are re-read for edits made through other API processes. */
  reloadMs?: number;
}

async function visibleAlarm(request: FastifyRequest, id: number): Promise<AlarmRecord> {
  const alarm = await findAlarmById(request.server.db, id);
  if (!alarm || !(await canSeeUnit(request, alarm.unitId))) throw notFound('alarm', id);
  return alarm;
}

/**
 * One handling step: checked against the state machine (409 naming why), applied only if no other dispatcher
 * moved the alarm first, audited, then announced on MQTT and the live feed.
 */
async function step(
  request: FastifyRequest,
  id: number,
  action: AlarmAction,
  fields: { assigneeUserId?: number | null; assigneeUnitId?: number | null; note?: string | null },
): Promise<AlarmRecord> {
  const alarm = await visibleAlarm(request, id);
  const next = nextAlarmState(alarm.state, action);
  if ('refused' in next) throw new HttpError(409, next.refused);
  const from: readonly AlarmState[] = ALARM_STEPS[action].from;
  const moved = await transitionAlarm(request.server.db, id, from, { to: next.to, userId: userOf(request).id, ...fields });
  if (!moved) {
    const now = await findAlarmById(request.server.db, id);
    throw new HttpError(409, `the alarm changed meanwhile; it is now ${now?.state ?? 'gone'}`);
  }
  await audit(request, { action: `alarm.${action}`, entityType: 'alarm', entityId: id, details: { from: alarm.state, to: moved.state, ...fields } });
  await publishAlarm(request.server, moved, moved.state as Exclude<AlarmState, 'open'>);
  return moved;
}

/** Alarms: detection from the live stream, listing, and the dispatcher's acknowledge → assign → resolve. */
const alarms: FastifyPluginAsyncTypebox<AlarmRoutesOptions> = async (app, options) => {
  const pipeline = new AlarmPipeline(
    app.db,
    (alarm) => publishAlarm(app, alarm, 'raised'),
    (error) => app.log.error({ err: error }, 'alarm detection failed for a batch of positions'),
  );
  app.decorate('alarmPipeline', pipeline);
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    await pipeline.load();
    app.liveFeed.on('position', (position) => pipeline.enqueue(position));
    app.liveFeed.on('device', ({ deviceId, device }) => pipeline.updateDevice(deviceId, device));
    timer = setInterval(() => pipeline.reload().catch((error) => app.log.warn({ err: error }, 'alarm detection reload failed')), options.reloadMs ?? 60_000);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
    await pipeline.idle();
  });

  app.get(
    '/api/alarms',
    { schema: { tags: ['alarms'], querystring: AlarmListQuery, response: { 200: Type.Array(Alarm), ...errors(400, 401, 403) } } },
    async (request) => {
      const q = request.query;
      return listAlarms(app.db, {
        unitIds: await unitScope(request),
        deviceId: q.deviceId ?? null,
        states: q.state ? (q.state.split(',') as AlarmState[]) : null,
        fromMs: q.from ? requestTimeMs(q.from, 'from') : null,
        toMs: q.to ? requestTimeMs(q.to, 'to') : null,
        limit: q.limit ?? 500,
      });
    },
  );

  app.get('/api/alarms/:id', { schema: { tags: ['alarms'], params: IdParams, response: { 200: Alarm, ...errors(400, 401, 404) } } }, async (request) =>
    visibleAlarm(request, request.params.id),
  );

  const handling = { preHandler: requireRole('dispatcher') };
  const stepResponse = { 200: Alarm, ...errors(400, 401, 403, 404, 409) };

  app.post(
    '/api/alarms/:id/acknowledge',
    { ...handling, schema: { tags: ['alarms'], params: IdParams, body: AcknowledgeBody, response: stepResponse } },
    async (request) => step(request, request.params.id, 'acknowledge', { note: request.body.note ?? null }),
  );

  app.post(
    '/api/alarms/:id/assign',
    { ...handling, schema: { tags: ['alarms'], params: IdParams, body: AssignBody, response: stepResponse } },
    async (request) => {
      const { userId, unitId, note } = request.body;
      if (userId === undefined && unitId === undefined) throw new HttpError(400, 'name the userId or the unitId the alarm is assigned to', 'userId');
      // Assignees come from the caller's own subtree; others are answered as unknown, so ids cannot be probed.
      if (userId !== undefined) {
        const user = await getUser(app.db, userId);
        if (!user || !(await canSeeUnit(request, user.unitId))) throw notFound('user', userId);
      }
      if (unitId !== undefined) await visibleUnitSubtree(request, unitId);
      return step(request, request.params.id, 'assign', { assigneeUserId: userId ?? null, assigneeUnitId: unitId ?? null, note: note ?? null });
    },
  );

  app.post(
    '/api/alarms/:id/resolve',
    { ...handling, schema: { tags: ['alarms'], params: IdParams, body: ResolveBody, response: stepResponse } },
    async (request) => step(request, request.params.id, 'resolve', { note: request.body.note }),
  );
};

export default fp(alarms, { name: 'urbanlink-alarms', dependencies: ['urbanlink-db', 'urbanlink-bus', 'urbanlink-auth'] });
