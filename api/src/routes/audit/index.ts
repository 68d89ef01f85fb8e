import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { listAudit } from '@urbanlink/db';
import { requireRole } from '../../plugins/auth.ts';
import { unitScope } from '../../plugins/scope.ts';
import { errors } from '../../schemas/common.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';
import { AuditEntry, AuditQuery } from './schemas.ts';

/** The audit log, newest first, for auditors: changes made by users of their unit subtree. */
const audit: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/audit',
    { preHandler: requireRole('auditor'), schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: Type.Array(AuditEntry), ...errors(400, 401, 403) } } },
    async (request) => {
      const { from, to, ...filter } = request.query;
      return listAudit(app.db, {
        ...filter,
        unitIds: await unitScope(request),
        from: from === undefined ? undefined : new Date(requestTimeMs(from, 'from')),
        to: to === undefined ? undefined : new Date(requestTimeMs(to, 'to')),
      });
    },
  );
};

export default audit;
