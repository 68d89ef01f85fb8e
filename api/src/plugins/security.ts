import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';

/**
 * Security headers, CORS and the rate limiter. The limiter is not global: routes opt in through
 * `config.rateLimit` (login does), so a busy dispatcher console is never throttled.
 */
export default fp(
  async (app) => {
    // The Swagger UI page needs inline scripts and styles; the JSON API needs no content policy at all.
    await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
    const origins = app.config.corsOrigins;
    if (origins === true || origins.length > 0) {
      await app.register(cors, { origin: origins, methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] });
    }
    await app.register(rateLimit, { global: false });
  },
  { name: 'urbanlink-security', dependencies: ['urbanlink-db'] },
);
