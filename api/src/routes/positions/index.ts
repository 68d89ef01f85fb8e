import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { latestPositions, listDevices, listPositions } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import { scopeUnit } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';
import { LatestPosition, Position, toPositionJson } from '../../schemas/positions.ts';
import { findVisibleDevice } from '../devices/access.ts';
import { POSITIONS_DESCRIPTION, PositionsQuery } from './schemas.ts';

const DAY_MS = 24 * 3600 * 1000;

/** A device's stored fixes over a period, and the newest fix of every device the caller sees. */
const positions: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/devices/:id/positions',
    {
      schema: {
        tags: ['positions'],
        description: POSITIONS_DESCRIPTION,
        params: IdParams,
        querystring: PositionsQuery,
        response: { 200: Type.Array(Position), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const device = await findVisibleDevice(request, request.params.id);
      const toMs = request.query.to === undefined ? Date.now() : requestTimeMs(request.query.to, 'to');
      const fromMs = request.query.from === undefined ? toMs - DAY_MS : requestTimeMs(request.query.from, 'from');
      if (fromMs > toMs) throw new HttpError(400, '`from` is after `to`', 'from');
      const { limit } = request.query;
      // One fix more than asked says whether the period holds more, and where the next page starts: fixes of a
      // device have distinct times, so starting there repeats none and skips none.
      const fixes = await listPositions(app.db, device.id, fromMs, toMs, limit + 1);
      const next = fixes.length > limit ? fixes.pop()! : null;
      if (next) {
        const page = new URLSearchParams({ from: new Date(next.fixTimeMs).toISOString(), to: new Date(toMs).toISOString(), limit: String(limit) });
        reply.header('link', `<${request.url.split('?')[0]}?${page}>; rel="next"`);
      }
      return fixes.map(toPositionJson);
    },
  );

  app.get(
    '/api/positions/latest',
    { schema: { tags: ['positions'], response: { 200: Type.Array(LatestPosition), ...errors(401, 403) } } },
    async (request) => {
      const unit = scopeUnit(request);
      const ids = unit === null ? undefined : (await listDevices(app.db, { withinUnit: unit })).map((device) => device.id);
      if (ids?.length === 0) return [];
      return (await latestPositions(app.db, ids)).map((position) => ({ deviceId: position.deviceId, ...toPositionJson(position) }));
    },
  );
};

export default positions;
