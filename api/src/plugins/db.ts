import fp from 'fastify-plugin';
import type { SqlClient } from '@urbanlink/db';
import type { ApiConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database every route reads and writes through `@urbanlink/db` queries; owned by the caller. */
    db: SqlClient;
    config: ApiConfig;
  }
}

/** Shares the caller's SqlClient and the resolved settings with every plugin and route. */
export default fp<{ client: SqlClient; config: ApiConfig }>(
  async (app, options) => {
    app.decorate('db', options.client);
    app.decorate('config', options.config);
  },
  { name: 'urbanlink-db' },
);
