import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { SqlClient } from '@urbanlink/db';
import { resolveConfig, type ApiConfig } from './config.ts';
import dbPlugin from './plugins/db.ts';
import unitTreesPlugin from './plugins/unit-trees.ts';
import errorsPlugin from './plugins/errors.ts';
import securityPlugin from './plugins/security.ts';
import swaggerPlugin from './plugins/swagger.ts';
import authPlugin from './plugins/auth.ts';
import adminPlugin from './plugins/admin.ts';
import metricsPlugin from './plugins/metrics.ts';
import busPlugin, { type InProcessBus } from './plugins/bus.ts';
import livePlugin from './plugins/live.ts';
import housekeepingPlugin from './plugins/housekeeping.ts';
import healthRoutes from './routes/health/index.ts';
import authRoutes from './routes/auth/index.ts';
import unitRoutes from './routes/units/index.ts';
import userRoutes from './routes/users/index.ts';
import auditRoutes from './routes/audit/index.ts';
import liveRoutes from './routes/live/index.ts';
import deviceRoutes from './routes/devices/index.ts';
import positionRoutes from './routes/positions/index.ts';
import commandRoutes from './routes/commands/index.ts';
import trackRoutes from './routes/tracks/index.ts';
import dispatchRoutes from './routes/dispatch/index.ts';
import alarmRoutes from './routes/alarms/index.ts';
import geofenceRoutes from './routes/geofences/index.ts';
import ticketsCore from './routes/tickets/core.ts';
import ticketRoutes from './routes/tickets/index.ts';
import categoryRoutes from './routes/categories/index.ts';
import open311Routes from './routes/open311/index.ts';
import surveyRoutes from './routes/surveys/index.ts';
import planRoutes from './routes/plans/index.ts';
import webhookRoutes from './routes/webhooks/index.ts';
import telephonyRoutes from './routes/telephony/index.ts';
import citizenRoutes from './routes/citizens/index.ts';
import followupRoutes from './routes/followups/index.ts';
import statsRoutes from './routes/stats/index.ts';
import evaluationRoutes from './routes/evaluation/index.ts';
import reportRoutes from './routes/reports/index.ts';
import consolePlugin from './plugins/console.ts';

export interface AppOptions {
  /** The database, opened and migrated by the caller, who also closes it. */
  client: SqlClient;
  /** The MQTT bus carrying live positions and events, and command notices to ingest. */
  mqttUrl?: string | undefined;
  /** The bus of this process (ingest's, with the embedded broker); used instead of connecting to `mqttUrl`. */
  bus?: InProcessBus | undefined;
  config?: Partial<ApiConfig> | undefined;
  /** More Prometheus text for `/metrics` (ingest's counters when both run in one process). */
  extraMetrics?: (() => string) | undefined;
  /** `false` for silence, pino options, or a ready pino logger to share with the rest of the process. */
  logger?: boolean | FastifyServerOptions['logger'] | FastifyBaseLogger | undefined;
  /** The built web console's directory, served at `/`; absent in API-only processes and most tests. */
  webRoot?: string | undefined;
}

function loggerOptions(logger: AppOptions['logger']): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (logger && typeof logger === 'object' && typeof (logger as FastifyBaseLogger).info === 'function') {
    return { loggerInstance: logger as FastifyBaseLogger };
  }
  return { logger: (logger as FastifyServerOptions['logger']) ?? false };
}

// An answer slower than this is logged at info, whatever its status.
const SLOW_REQUEST_MS = 1_000;

/**
 * One line per request at info is two synchronous writes in every request's path (fastify's incoming and
 * completed lines), which the nearest benchmark measured in its p99. At info only what needs a look is logged:
 * answers with a status of 500 or more and answers slower than a second, each as one line naming the request.
 * Every other request is logged at debug. Errors (plugins/errors.ts) and fastify's other lines are unchanged.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (reply.statusCode >= 500 || line.responseTime > SLOW_REQUEST_MS) reply.log.info(line, 'request completed');
    else reply.log.debug(line, 'request completed');
  }
}

/** Builds the whole HTTP API on `client`; call `listen()` on it, or `inject()` in tests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config = resolveConfig(options.config);
  const app = Fastify({
    ...loggerOptions(options.logger),
    logController: new RequestLog(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // `discriminator` (OpenAPI's keyword) is understood by the validator; Ajv requires it beside `oneOf`, not
    // `anyOf` (which is what TypeBox's Union makes). A `type` list is how a field takes a number or a text
    // without the validator coercing one into the other (a union's branches are coerced).
    ajv: { customOptions: { removeAdditional: false, discriminator: true, allowUnionTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(dbPlugin, { client: options.client, config });
  await app.register(unitTreesPlugin);
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(swaggerPlugin);
  await app.register(metricsPlugin, { extraMetrics: options.extraMetrics });
  await app.register(busPlugin, { mqttUrl: options.mqttUrl, bus: options.bus });
  // Before auth: the WebSocket plugin's own onRequest hook must run first, so that an upgrade refused with
  // 401 still has its socket closed.
  await app.register(livePlugin);
  await app.register(authPlugin);
  await app.register(adminPlugin);
  await app.register(housekeepingPlugin);

  // Routes: one plugin per resource, each under `routes/<resource>/index.ts` with its schemas beside it.
  // To add one, import its default export above and register it here with one line:
  //   await app.register(tracksRoutes);
  // Routes under /api need a Bearer token unless their route config says `public: true`; use
  // `requireRole(...)` from plugins/auth.ts as a preHandler, `audit(request, …)` from plugins/audit.ts after
  // every change, and `scopeUnit`, `unitScope` or `canSeeUnit` (plugins/scope.ts) to limit reads to the
  // caller's unit subtree.
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(unitRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(liveRoutes);
  await app.register(deviceRoutes);
  await app.register(positionRoutes);
  await app.register(commandRoutes);
  await app.register(trackRoutes);
  await app.register(dispatchRoutes);
  await app.register(alarmRoutes);
  await app.register(geofenceRoutes);
  await app.register(ticketsCore);
  await app.register(ticketRoutes);
  await app.register(categoryRoutes);
  await app.register(open311Routes);
  await app.register(surveyRoutes);
  await app.register(planRoutes);
  await app.register(webhookRoutes);
  await app.register(telephonyRoutes);
  await app.register(citizenRoutes);
  await app.register(followupRoutes);
  await app.register(statsRoutes);
  await app.register(evaluationRoutes);
  await app.register(reportRoutes);
  if (options.webRoot) await app.register(consolePlugin, { root: options.webRoot });

  return app;
}
