import fp from 'fastify-plugin';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { findSessionUser, validSessionTokens, type Role } from '@urbanlink/db';
import { OpenSessions, type HeldSession } from '../live/open-sessions.ts';
import { HttpError } from './errors.ts';
import { SessionCache } from './session-cache.ts';

// How long a valid session is trusted without asking the database: the bound on how late a revocation made
// by another process (a second API instance, the CLI) takes effect here. This process's own revocations
// take effect at once (see REVOKING_PATHS).
const SESSION_CACHE_MS = 2_000;
const SESSION_CACHE_ENTRIES = 10_000;
// Requests that may end sessions or change who a token belongs to: logout, password change, users
// disabled, re-roled, moved, deleted or signed out. Any write under them empties the session cache.
const REVOKING_PATHS = ['/api/auth/', '/api/users'];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// How often the sessions held by WebSockets are checked: the bound on how late an expiry, or a revocation by
// another process, closes a socket. This process's own revocations close them at once.
const OPEN_SESSION_CHECK_MS = 5_000;

/** The caller of an authenticated request. */
export interface AuthUser {
  id: number;
  username: string;
  role: Role;
  unitId: number | null;
  sessionId: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every `/api` request except the public ones (health, docs, login). */
    user: AuthUser | null;
  }
  interface FastifyInstance {
    /**
     * Ties a WebSocket to the session it was opened with: `end` closes it (code 4001) once that session
     * expires or is revoked. Call the returned function when the socket closes.
     */
    holdSession(request: FastifyRequest, end: (code: number, reason: string) => void): () => void;
  }
  interface FastifyContextConfig {
    /** Reachable without a token. */
    public?: boolean;
    /** Also accepts the token as `?token=` (WebSocket upgrades, where browsers cannot set headers). */
    tokenInQuery?: boolean;
  }
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  if (request.routeOptions.config?.tokenInQuery) {
    const token = (request.query as { token?: unknown } | undefined)?.token;
    return typeof token === 'string' ? token : undefined;
  }
  return undefined;
}

/** The signed-in user; for handlers behind the auth hook, where a missing user is a server bug. */
export function userOf(request: FastifyRequest): AuthUser {
  if (!request.user) throw new Error(`route ${request.url} reached without authentication`);
  return request.user;
}

/** A preHandler that admits the listed roles (and always admin) and answers 403 to the rest. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const user = userOf(request);
    if (user.role !== 'admin' && !roles.includes(user.role)) {
      throw new HttpError(403, `role ${user.role} may not do this`);
    }
  };
}

/**
 * Every route under `/api` needs `Authorization: Bearer TOKEN` (401 otherwise) unless its route config says
 * `public: true`. Tokens are random, stored only as their SHA-256, and checked against the sessions table,
 * through a cache of a few seconds (session-cache.ts): revocation and expiry take effect at once in this
 * process, and within SESSION_CACHE_MS when another process revokes. WebSockets, authenticated once at their
 * upgrade, hold their session (`app.holdSession`) and are closed with code 4001 when it ends.
 */
export default fp(
  async (app) => {
    const sessions = new SessionCache({ ttlMs: SESSION_CACHE_MS, maxEntries: SESSION_CACHE_ENTRIES });
    const openSessions = new OpenSessions(
      (tokenHashes) => validSessionTokens(app.db, tokenHashes),
      (error) => app.log.warn({ err: error }, 'could not check the sessions of open WebSockets'),
    );
    // Only WebSocket upgrades (the routes that take the token in the query) keep their session for later.
    const upgradeSessions = new WeakMap<FastifyRequest, HeldSession>();
    app.decorate('holdSession', (request: FastifyRequest, end: (code: number, reason: string) => void) => {
      const session = upgradeSessions.get(request);
      if (!session) throw new Error(`route ${request.url} holds a session without tokenInQuery`);
      return openSessions.hold(session, end);
    });
    app.addHook('onReady', async () => openSessions.start(OPEN_SESSION_CHECK_MS));
    app.addHook('onClose', async () => openSessions.stop());
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
      if (request.routeOptions.config?.public) return;
      const token = tokenOf(request);
      if (!token) throw new HttpError(401, 'sign in first: send Authorization: Bearer <token>');
      const tokenHash = hashToken(token);
      let session = sessions.get(tokenHash);
      if (!session) {
        const generation = sessions.generation;
        session = await findSessionUser(app.db, tokenHash);
        if (!session) throw new HttpError(401, 'the token is unknown, expired or revoked; sign in again');
        sessions.put(tokenHash, session, generation);
      }
      request.user = { id: session.userId, username: session.username, role: session.role, unitId: session.unitId, sessionId: session.sessionId };
      if (request.routeOptions.config?.tokenInQuery) upgradeSessions.set(request, { tokenHash, expiresAt: session.expiresAt });
    });
    // onSend runs after the handler's writes and before the caller sees the answer, so the caller's next
    // request already misses the cache.
    app.addHook('onSend', async (request) => {
      if (READ_METHODS.has(request.method)) return;
      if (REVOKING_PATHS.some((path) => request.url.startsWith(path))) {
        sessions.clear();
        void openSessions.check();
      }
    });
  },
  { name: 'urbanlink-auth', dependencies: ['urbanlink-db'] },
);
