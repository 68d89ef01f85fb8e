import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';

// The Swagger UI page needs inline scripts and styles; the JSON API needs no content policy at all.
const HELMET_OPTIONS: HelmetOptions = { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false };

/**
 * Helmet's headers, worked out once by running helmet against a recorder. Without a content policy (and so
 * without nonces) they are the same for every answer. @fastify/helmet instead builds helmet's dozen
 * middleware closures afresh for every request: with it, the same 500 requests a second left 4–5 MB alive
 * at each young-generation GC instead of 0.4–0.7 MB, and the pauses that hold every request were 8–15 ms
 * instead of 4–5 (benchmarks/RESULTS.md, Nearest vehicle).
 */
function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string) {
      headers[name] = value;
    },
    removeHeader() {},
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * Security headers, CORS and the rate limiter. The limiter is not global: routes opt in through
 * `config.rateLimit` (login does), so a busy dispatcher console is never throttled.
 */
export default fp(
  async (app) => {
    const headers = helmetHeaders(HELMET_OPTIONS);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    const origins = app.config.corsOrigins;
    if (origins === true || origins.length > 0) {
      await app.register(cors, { origin: origins, methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] });
    }
    await app.register(rateLimit, { global: false });
  },
  { name: 'urbanlink-security', dependencies: ['urbanlink-db'] },
);
