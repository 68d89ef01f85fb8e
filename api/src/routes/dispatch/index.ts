import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { unitScope, visibleUnitSubtree } from '../../plugins/scope.ts';
import { errors } from '../../schemas/common.ts';
import { FleetSync } from '../../nearest/fleet-sync.ts';
import { NearestVehicles, type DispatchStatus, type NearestSettings } from '../../nearest/nearest-vehicles.ts';
import { nearestSettingsFromEnv } from '../../nearest/settings.ts';
import { NearestAnswer, NearestQuery } from './schemas.ts';

export interface DispatchOptions {
  /** Defaults from the environment (nearest/settings.ts). */
  nearest?: Partial<NearestSettings>;
  /** How often dispatch statuses are re-read for edits made through other API processes. */
  resyncMs?: number;
}

/**
 * The dispatchers' nearest-vehicle answer, served from an in-memory index that the live feed keeps moving.
 * The index lives with this plugin: nothing else needs it.
 */
const dispatch: FastifyPluginAsyncTypebox<DispatchOptions> = async (app, options) => {
  const index = new NearestVehicles({ ...nearestSettingsFromEnv(), ...options.nearest });
  const sync = new FleetSync(app.db, index);
  app.addHook('onReady', async () => {
    await sync.load();
    sync.listen(app.liveFeed, options.resyncMs ?? 60_000);
  });
  app.addHook('onClose', async () => sync.stop());

  app.get(
    '/api/dispatch/nearest',
    {
      schema: {
        tags: ['dispatch'],
        description: 'Vehicles nearest to a point: fresh fixes and standby only unless asked otherwise, within your unit subtree.',
        querystring: NearestQuery,
        response: { 200: Type.Array(NearestAnswer), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const query = request.query;
      const units = query.unitId === undefined ? await unitScope(request) : await visibleUnitSubtree(request, query.unitId);
      const answer = await index.nearest({
        lat: query.lat,
        lon: query.lon,
        limit: query.limit ?? 10,
        statuses: query.status ? (query.status.split(',') as DispatchStatus[]) : undefined,
        unitIds: units ? new Set(units) : null,
        maxAgeSeconds: query.maxAgeSeconds,
        maxDistanceMeters: query.maxDistanceMeters,
      });
      return answer.map((vehicle) => {
        const { fixTimeMs, lat, lon, speedKmh, course, valid } = vehicle.position;
        return { ...vehicle, position: { fixTime: new Date(fixTimeMs).toISOString(), lat, lon, speedKmh, course, valid } };
      });
    },
  );
};

export default dispatch;
