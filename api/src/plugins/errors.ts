import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { isDatabaseUnavailable } from '@urbanlink/db';

// What a client is told to wait before trying again when the database is down or out of connections.
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL error codes that come from what the caller sent, not from a fault of the server. */
const CLIENT_SQL_ERRORS: Record<string, { statusCode: number; message: string }> = {
  '23505': { statusCode: 409, message: 'conflicts with an existing record' },
  '23503': { statusCode: 409, message: 'refers to a record that does not exist or is still in use' },
  '22P02': { statusCode: 400, message: 'a value has the wrong form' },
  '22003': { statusCode: 400, message: 'a number is out of range' },
  // A backstop: routes read request times with requestTimeMs (schemas/request-time.ts), which names the field.
  '22007': { statusCode: 400, message: 'a date or time has the wrong form' },
  '22008': { statusCode: 400, message: 'a date or time is out of range' },
};

/** The field a validation error is about: `body/plate` → `plate`, or the missing property's name. */
function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const missing = params.missingProperty ?? params.additionalProperty;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  return missing ? (path ? `${path}.${missing}` : missing) : path || undefined;
}

/**
 * One error shape for the whole API: `{ statusCode, error, message, field? }`. Messages pass through only
 * below 500; a server fault is logged with the request and answered without its details.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError & { code?: string }, request, reply) => {
      if (error.validation) {
        const field = fieldOf(error);
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: error.message, ...(field && { field }) });
      }
      const sql = error.code ? CLIENT_SQL_ERRORS[error.code] : undefined;
      if (sql) {
        const detail = (error as { constraint?: string }).constraint;
        const message = detail ? `${sql.message} (${detail})` : sql.message;
        return reply.code(sql.statusCode).send({ statusCode: sql.statusCode, error: sql.statusCode === 409 ? 'Conflict' : 'Bad Request', message });
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error, method: request.method, url: request.url }, 'database unavailable');
        return reply
          .code(503)
          .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
          .send({ statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable or busy; try again shortly / 数据库暂时不可用，请稍后再试' });
      }
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error, method: request.method, url: request.url, params: request.params }, 'request failed');
        return reply.code(status).send({ statusCode: status, error: 'Internal Server Error', message: 'internal error; see the server log' });
      }
      const field = error instanceof HttpError ? error.field : undefined;
      return reply.code(status).send({ statusCode: status, error: httpName(status), message: error.message, ...(field && { field }) });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'urbanlink-errors' },
);

/** Thrown by handlers for an answer below 500: `throw new HttpError(404, 'device 7 not found')`. */
export class HttpError extends Error {
  readonly statusCode: number;
  /** The request field at fault, for a 400. */
  readonly field: string | undefined;
  constructor(statusCode: number, message: string, field?: string) {
    super(message);
    this.statusCode = statusCode;
    this.field = field;
  }
}

export function notFound(what: string, id: number | string): HttpError {
  return new HttpError(404, `${what} ${id} not found`);
}

function httpName(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests' }[status] ?? 'Error';
}
