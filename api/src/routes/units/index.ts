import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { deleteUnit, findUnitById, insertUnit, isUnitWithin, listUnitBoundaries, listUnits, updateUnit } from '@urbanlink/db';
import { requireRole } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { canSeeUnit, scopeUnit } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { Unit, UnitBoundaries } from '../../schemas/units.ts';
import { checkBoundary } from './boundary.ts';
import { NewUnitBody, UnitPatchBody } from './schemas.ts';

/** The unit hierarchy: everyone reads their own subtree; admins change it. */
const units: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/units', { schema: { tags: ['units'], response: { 200: Type.Array(Unit), ...errors(401, 403) } } }, async (request) =>
    listUnits(app.db, { withinUnit: scopeUnit(request) }),
  );

  // One request gives a map every area it may draw: the caller's subtree, as GeoJSON.
  app.get(
    '/api/units/boundaries',
    { schema: { tags: ['units'], description: "The boundaries (辖区) of the caller's units, as one GeoJSON FeatureCollection; units without one are left out.", response: { 200: UnitBoundaries, ...errors(401, 403) } } },
    async (request) => {
      const units = await listUnitBoundaries(app.db, { withinUnit: scopeUnit(request) });
      return {
        type: 'FeatureCollection' as const,
        features: units.map(({ id, parentId, name, kind, boundary }) => ({ type: 'Feature' as const, id, geometry: boundary, properties: { id, parentId, name, kind } })),
      };
    },
  );

  app.get('/api/units/:id', { schema: { tags: ['units'], params: IdParams, response: { 200: Unit, ...errors(400, 401, 403, 404) } } }, async (request) => {
    const unit = await findUnitById(app.db, request.params.id);
    if (!unit || !(await canSeeUnit(request, unit.id))) throw notFound('unit', request.params.id);
    return unit;
  });

  app.post(
    '/api/units',
    { preHandler: requireRole(), schema: { tags: ['units'], body: NewUnitBody, response: { 201: Unit, ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      const { parentId } = request.body;
      checkBoundary(request.body.boundary);
      if (parentId != null && !(await findUnitById(app.db, parentId))) throw notFound('parent unit', parentId);
      const unit = await insertUnit(app.db, request.body);
      app.unitTrees.clear();
      await audit(request, { action: 'unit.create', entityType: 'unit', entityId: unit.id, details: request.body });
      return reply.code(201).send(unit);
    },
  );

  app.patch(
    '/api/units/:id',
    { preHandler: requireRole(), schema: { tags: ['units'], params: IdParams, body: UnitPatchBody, response: { 200: Unit, ...errors(400, 401, 403, 404, 409) } } },
    async (request) => {
      const { id } = request.params;
      const { parentId } = request.body;
      checkBoundary(request.body.boundary);
      if (parentId != null) {
        if (!(await findUnitById(app.db, parentId))) throw notFound('parent unit', parentId);
        if (await isUnitWithin(app.db, parentId, id)) throw new HttpError(409, `unit ${parentId} lies inside unit ${id}; a unit cannot be moved under itself`);
      }
      const unit = await updateUnit(app.db, id, request.body);
      app.unitTrees.clear();
      if (!unit) throw notFound('unit', id);
      await audit(request, { action: 'unit.update', entityType: 'unit', entityId: id, details: request.body });
      return unit;
    },
  );

  app.delete(
    '/api/units/:id',
    { preHandler: requireRole(), schema: { tags: ['units'], params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      // A unit with child units or users is refused by its foreign keys: the error handler answers 409.
      if (!(await deleteUnit(app.db, request.params.id))) throw notFound('unit', request.params.id);
      app.unitTrees.clear();
      await audit(request, { action: 'unit.delete', entityType: 'unit', entityId: request.params.id });
      return reply.code(204).send(null);
    },
  );
};

export default units;
