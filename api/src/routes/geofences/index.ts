import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { deleteGeofence, findGeofenceById, insertGeofence, listGeofences, updateGeofence, type GeofenceRecord, type GeofenceShapeJson } from '@urbanlink/db';
import { audit } from '../../plugins/audit.ts';
import { requireRole } from '../../plugins/auth.ts';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { canSeeUnit, scopeUnit, unitScope, visibleUnitSubtree } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { shapeProblem } from '../../geofence/shapes.ts';
import { Geofence, GeofencePatchBody, NewGeofenceBody } from './schemas.ts';

function checkShape(shape: GeofenceShapeJson | undefined): void {
  if (!shape) return;
  const problem = shapeProblem(shape);
  if (problem) throw new HttpError(400, `shape: ${problem}`, shape.type === 'circle' ? 'shape.radiusMeters' : 'shape.points');
}

/**
 * Fences of the caller's subtree can be changed by its dispatchers; fences for every device only by admins.
 * A unit that does not exist, or lies outside the caller's subtree, is a 404.
 */
async function checkUnit(request: FastifyRequest, unitId: number | null | undefined): Promise<void> {
  if (unitId === undefined) return;
  if (unitId === null) {
    if (scopeUnit(request) !== null) throw new HttpError(403, 'only an administrator may make a fence for every unit');
    return;
  }
  await visibleUnitSubtree(request, unitId);
}

async function visibleFence(request: FastifyRequest, id: number): Promise<GeofenceRecord> {
  const fence = await findGeofenceById(request.server.db, id);
  // Fences for every unit are visible to all: they apply to everyone's vehicles.
  if (!fence || (fence.unitId !== null && !(await canSeeUnit(request, fence.unitId)))) throw notFound('geofence', id);
  return fence;
}

/** Geofences (circle or polygon) per unit. Every change reloads alarm detection at once. */
const geofences: FastifyPluginAsyncTypebox = async (app) => {
  const changed = () => app.alarmPipeline.reloadFences();

  app.get('/api/geofences', { schema: { tags: ['geofences'], response: { 200: Type.Array(Geofence), ...errors(401, 403) } } }, async (request) =>
    listGeofences(app.db, { unitIds: await unitScope(request) }),
  );

  app.get('/api/geofences/:id', { schema: { tags: ['geofences'], params: IdParams, response: { 200: Geofence, ...errors(400, 401, 404) } } }, async (request) =>
    visibleFence(request, request.params.id),
  );

  app.post(
    '/api/geofences',
    { preHandler: requireRole('dispatcher'), schema: { tags: ['geofences'], body: NewGeofenceBody, response: { 201: Geofence, ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      checkShape(request.body.shape);
      // A dispatcher's fence belongs to their unit unless they name another one of their subtree.
      const unitId = request.body.unitId === undefined ? scopeUnit(request) : request.body.unitId;
      await checkUnit(request, unitId);
      const fence = await insertGeofence(app.db, { ...request.body, unitId });
      await audit(request, { action: 'geofence.create', entityType: 'geofence', entityId: fence.id, details: request.body });
      await changed();
      return reply.code(201).send(fence);
    },
  );

  app.patch(
    '/api/geofences/:id',
    { preHandler: requireRole('dispatcher'), schema: { tags: ['geofences'], params: IdParams, body: GeofencePatchBody, response: { 200: Geofence, ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const fence = await visibleFence(request, request.params.id);
      await checkUnit(request, fence.unitId);
      checkShape(request.body.shape);
      await checkUnit(request, request.body.unitId);
      const updated = await updateGeofence(app.db, fence.id, request.body);
      if (!updated) throw notFound('geofence', fence.id);
      await audit(request, { action: 'geofence.update', entityType: 'geofence', entityId: fence.id, details: request.body });
      await changed();
      return updated;
    },
  );

  app.delete(
    '/api/geofences/:id',
    { preHandler: requireRole('dispatcher'), schema: { tags: ['geofences'], params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      const fence = await visibleFence(request, request.params.id);
      await checkUnit(request, fence.unitId);
      if (!(await deleteGeofence(app.db, fence.id))) throw notFound('geofence', fence.id);
      await audit(request, { action: 'geofence.delete', entityType: 'geofence', entityId: fence.id, details: { name: fence.name } });
      await changed();
      return reply.code(204).send(null);
    },
  );
};

export default geofences;
