// HTTP API (fastify), OpenAPI document, WebSocket live push.
export { buildApp, type AppOptions } from './app.ts';
export type { InProcessBus } from './plugins/bus.ts';
export { startApi, type StartOptions, type RunningApi } from './server.ts';
export { resolveConfig, configFromEnv, DEFAULT_CONFIG, type ApiConfig } from './config.ts';
export { audit, type AuditRecord } from './plugins/audit.ts';
export { requireRole, userOf, type AuthUser } from './plugins/auth.ts';
export { HttpError, notFound } from './plugins/errors.ts';
export { scopeUnit, unitScope, canSeeUnit } from './plugins/scope.ts';
export { LiveFeed, type LivePosition, type LiveStatus, type LiveEvent, type LiveDeviceChange } from './live/feed.ts';
export { MovingPointGrid, type Neighbour } from './nearest/moving-grid.ts';
