import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { deleteUser, findUnitById, getUser, insertUser, listUsers, revokeUserSessions, updateUser, type Role } from '@urbanlink/db';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { hashPassword } from '../../plugins/passwords.ts';
import { canSeeUnit, unitScope } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { User } from '../../schemas/users.ts';
import { NewUserBody, UserPatchBody } from './schemas.ts';

/** Everyone but an admin works inside a unit, which decides what they see. */
function checkUnit(role: Role, unitId: number | null): void {
  if (role !== 'admin' && unitId === null) throw new HttpError(400, `a ${role} must belong to a unit`, 'unitId');
}

/**
 * User accounts. Admins create and change them; admins and auditors read them within their subtree.
 * Passwords never leave the server; changing one, or a user's role, unit or state, revokes their sessions.
 */
const users: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/users',
    { preHandler: requireRole('auditor'), schema: { tags: ['users'], response: { 200: Type.Array(User), ...errors(401, 403) } } },
    async (request) => listUsers(app.db, await unitScope(request)),
  );

  app.get(
    '/api/users/:id',
    { preHandler: requireRole('auditor'), schema: { tags: ['users'], params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const user = await getUser(app.db, request.params.id);
      if (!user || !(await canSeeUnit(request, user.unitId))) throw notFound('user', request.params.id);
      return user;
    },
  );

  app.post(
    '/api/users',
    { preHandler: requireRole(), schema: { tags: ['users'], body: NewUserBody, response: { 201: User, ...errors(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      const { password, ...fields } = request.body;
      const unitId = fields.unitId ?? null;
      checkUnit(fields.role, unitId);
      if (unitId !== null && !(await findUnitById(app.db, unitId))) throw notFound('unit', unitId);
      const user = await insertUser(app.db, { ...fields, passwordHash: await hashPassword(password) });
      if (!user) throw new HttpError(409, `username '${fields.username}' is taken`);
      await audit(request, { action: 'user.create', entityType: 'user', entityId: user.id, details: fields });
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/api/users/:id',
    { preHandler: requireRole(), schema: { tags: ['users'], params: IdParams, body: UserPatchBody, response: { 200: User, ...errors(400, 401, 403, 404, 409) } } },
    async (request) => {
      const { id } = request.params;
      const { password, ...fields } = request.body;
      const current = await getUser(app.db, id);
      if (!current) throw notFound('user', id);
      checkUnit(fields.role ?? current.role, 'unitId' in fields ? (fields.unitId ?? null) : current.unitId);
      if (fields.unitId != null && !(await findUnitById(app.db, fields.unitId))) throw notFound('unit', fields.unitId);
      if (id === userOf(request).id && (fields.disabled || (fields.role && fields.role !== 'admin'))) {
        throw new HttpError(409, 'you cannot disable or demote your own account');
      }
      const user = await updateUser(app.db, id, { ...fields, ...(password && { passwordHash: await hashPassword(password) }) });
      if (!user) throw notFound('user', id);
      if (password || fields.disabled || fields.role || 'unitId' in fields) await revokeUserSessions(app.db, id);
      await audit(request, { action: 'user.update', entityType: 'user', entityId: id, details: { ...fields, ...(password && { password: 'changed' }) } });
      return user;
    },
  );

  app.delete(
    '/api/users/:id/sessions',
    { preHandler: requireRole(), schema: { tags: ['users'], params: IdParams, response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const { id } = request.params;
      if (!(await getUser(app.db, id))) throw notFound('user', id);
      const revoked = await revokeUserSessions(app.db, id);
      await audit(request, { action: 'user.revoke_sessions', entityType: 'user', entityId: id, details: { revoked } });
      return { revoked };
    },
  );

  app.delete(
    '/api/users/:id',
    { preHandler: requireRole(), schema: { tags: ['users'], params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      const { id } = request.params;
      if (id === userOf(request).id) throw new HttpError(409, 'you cannot delete your own account');
      if (!(await deleteUser(app.db, id))) throw notFound('user', id);
      await audit(request, { action: 'user.delete', entityType: 'user', entityId: id });
      return reply.code(204).send(null);
    },
  );
};

export default users;
