import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../../plugins/errors.ts';

/**
 * Machines that call in (the PBX, the SMS and e-mail gateways) have no user account; they prove
 * themselves with a shared secret in `X-UrbanLink-Secret`. An unset secret refuses everyone.
 */
export function requireSecret(secret: () => string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    const expected = secret();
    if (!expected) throw new HttpError(503, 'this hook is not configured: set its shared secret on the server');
    const given = request.headers['x-urbanlink-secret'];
    const a = Buffer.from(typeof given === 'string' ? given : '');
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(401, 'wrong or missing X-UrbanLink-Secret');
  };
}
