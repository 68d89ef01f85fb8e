import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { LIVE_DESCRIPTION } from '../schemas/live.ts';

/** The OpenAPI document of every route at `/api/docs/json`, browsable at `/api/docs`. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'UrbanLink API', version: '0.1.0', description: `GPS/AVL tracking and dispatch for city-management command centres.\n\n## Live: GET /api/live\n\n${LIVE_DESCRIPTION}` },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
  },
  { name: 'urbanlink-swagger' },
);
