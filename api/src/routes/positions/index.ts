import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { latestPositions, listDevices, listPositions } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import { scopeUnit } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { LatestPosition, Position, toPositionJson } from '../../schemas/positions.ts';
import { findVisibleDevice } from '../devices/access.ts';
import { PositionsQuery } from './schemas.ts';

const DAY_MS = 24 * 3600 * 1000;

/** A device's stored fixes over a period, and the newest fix of every device the caller sees. */
const positions: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/devices/:id/positions',
    { schema: { tags: ['positions'], params: IdParams, querystring: PositionsQuery, response: { 200: Type.Array(Position), ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const device = await findVisibleDevice(request, request.params.id);
      const toMs = request.query.to === undefined ? Date.now() : Date.parse(request.query.to);
      const fromMs = request.query.from === undefined ? toMs - DAY_MS : Date.parse(request.query.from);
      if (fromMs > toMs) throw new HttpError(400, '`from` is after `to`', 'from');
      const fixes = await listPositions(app.db, device.id, fromMs, toMs, request.query.limit);
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
