import fp from 'fastify-plugin';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { findSessionUser, type Role } from '@urbanlink/db';
import { HttpError } from './errors.ts';

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
 * `public: true`. Tokens are random, stored only as their SHA-256, and checked against the sessions table
 * on every request so that revocation and expiry take effect at once.
 */
export default fp(
  async (app) => {
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
      if (request.routeOptions.config?.public) return;
      const token = tokenOf(request);
      if (!token) throw new HttpError(401, 'sign in first: send Authorization: Bearer <token>');
      const session = await findSessionUser(app.db, hashToken(token));
      if (!session) throw new HttpError(401, 'the token is unknown, expired or revoked; sign in again');
      request.user = { id: session.userId, username: session.username, role: session.role, unitId: session.unitId, sessionId: session.sessionId };
    });
  },
  { name: 'urbanlink-auth', dependencies: ['urbanlink-db'] },
);
