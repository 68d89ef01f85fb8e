import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  engine: Type.String(),
  time: Type.String({ format: 'date-time' }),
});

/** `GET /api/health`: 200 `{ status: "ok" }` while the database answers, 503 otherwise. No token needed. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    { config: { public: true }, schema: { tags: ['operations'], security: [], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const ok = await app.db.query('SELECT 1').then(() => true, () => false);
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'unavailable',
        database: ok ? 'ok' : 'unreachable',
        engine: app.db.engine,
        time: new Date().toISOString(),
      });
    },
  );
};

export default health;
