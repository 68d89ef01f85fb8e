import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { getUserCredentials, insertSession, revokeSession } from '@urbanlink/db';
import { hashToken, newToken, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { verifyPassword } from '../../plugins/passwords.ts';
import { errors } from '../../schemas/common.ts';
import { LoginBody, LoginResponse, Me } from './schemas.ts';

/** Sign in (rate-limited per client address), see who you are, sign out (revokes the token). */
const auth: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: app.config.loginAttemptsPerMinute, timeWindow: 60_000 } },
      schema: { tags: ['auth'], security: [], body: LoginBody, response: { 200: LoginResponse, ...errors(400, 401, 429) } },
    },
    async (request) => {
      const { username, password } = request.body;
      const user = await getUserCredentials(app.db, username);
      // Same answer for an unknown name and a wrong password, so names cannot be probed.
      if (!user || user.disabled || !(await verifyPassword(user.passwordHash, password))) {
        request.log.warn({ username, ip: request.ip }, 'failed login');
        throw new HttpError(401, 'wrong username or password');
      }
      const token = newToken();
      const session = await insertSession(app.db, {
        userId: user.id,
        tokenHash: hashToken(token),
        ttlSeconds: app.config.tokenTtlSeconds,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      request.user = { id: user.id, username: user.username, role: user.role, unitId: user.unitId, sessionId: session.id };
      await audit(request, { action: 'auth.login', entityType: 'user', entityId: user.id });
      return {
        token,
        expiresAt: session.expiresAt.toISOString(),
        user: { id: user.id, username: user.username, role: user.role, unitId: user.unitId },
      };
    },
  );

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: Me, ...errors(401) } } }, async (request) => {
    const user = userOf(request);
    return { id: user.id, username: user.username, role: user.role, unitId: user.unitId };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], response: { 204: Type.Null(), ...errors(401) } } }, async (request, reply) => {
    const user = userOf(request);
    await revokeSession(app.db, user.sessionId);
    await audit(request, { action: 'auth.logout', entityType: 'user', entityId: user.id });
    return reply.code(204).send(null);
  });
};

export default auth;
