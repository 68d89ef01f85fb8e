import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { getUserCredentials, insertSession, revokeSession, revokeUserSessions, updateUser } from '@urbanlink/db';
import { hashToken, newToken, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { hashPassword, verifyNobody, verifyPassword } from '../../plugins/passwords.ts';
import { errors } from '../../schemas/common.ts';
import { LoginBody, LoginResponse, Me, PasswordChangeBody } from './schemas.ts';

/** Sign in (rate-limited per client address), see who you are, change your password, sign out (revokes the token). */
const auth: FastifyPluginAsyncTypebox = async (app) => {
  // Attempts are limited per (address, username), so one guesser is slowed at once while a shift signing in
  // from behind one NAT address is not; a ten times looser limit per address slows spraying many names.
  const attempts = app.config.loginAttemptsPerMinute;
  const perAddress = app.createRateLimit({ max: attempts * 10, timeWindow: 60_000 });
  app.post(
    '/api/auth/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: attempts,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request) => `${request.ip}|${(request.body as { username?: string } | undefined)?.username ?? ''}`,
        },
      },
      schema: { tags: ['auth'], security: [], body: LoginBody, response: { 200: LoginResponse, ...errors(400, 401, 429) } },
    },
    async (request) => {
      const limit = await perAddress(request);
      if (!limit.isAllowed && limit.isExceeded) throw new HttpError(429, `too many sign-in attempts from this address; try again in ${limit.ttlInSeconds} s`);
      const { username, password } = request.body;
      const user = await getUserCredentials(app.db, username);
      // Same answer for an unknown name and a wrong password, so names cannot be probed.
      const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyNobody(password);
      if (!user || user.disabled || !valid) {
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

  app.post(
    '/api/auth/password',
    { schema: { tags: ['auth'], body: PasswordChangeBody, response: { 204: Type.Null(), ...errors(400, 401) } } },
    async (request, reply) => {
      const me = userOf(request);
      const credentials = await getUserCredentials(app.db, me.username);
      if (!credentials || !(await verifyPassword(credentials.passwordHash, request.body.currentPassword))) {
        throw new HttpError(400, 'the current password is wrong', 'currentPassword');
      }
      await updateUser(app.db, me.id, { passwordHash: await hashPassword(request.body.newPassword) });
      // Every other sign-in of this user ends; this one goes on.
      await revokeUserSessions(app.db, me.id, me.sessionId);
      await audit(request, { action: 'user.password', entityType: 'user', entityId: me.id });
      return reply.code(204).send(null);
    },
  );
};

export default auth;
