import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { requireRole } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { callerHistory } from './history.ts';

const PhoneParams = Type.Object({ phone: Type.String({ minLength: 3, maxLength: 40, pattern: '^\\+?[0-9-]+$' }) });

/** The caller's history for the call centre (CRM screen-pop); reading it is audited. */
const citizens: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/citizens/:phone/history',
    { preHandler: requireRole('agent', 'dispatcher'), schema: { tags: ['tickets'], params: PhoneParams } },
    async (request) => {
      const history = await callerHistory(app, request.params.phone);
      await audit(request, { action: 'citizen.history', entityType: 'citizen', entityId: request.params.phone });
      return history;
    },
  );
};

export default citizens;
