import { createTestDatabase, createTestPglite, createTestTimescalePglite } from '../src/testing.ts';
import type { SqlClient } from '../src/sql-client.ts';

/** Each suite runs once per engine: a real PostgreSQL database and an in-memory PGlite. */
export interface Engine {
  name: string;
  open(): Promise<{ client: SqlClient; close(): Promise<void> }>;
}

export const ENGINES: Engine[] = [
  {
    name: 'postgres',
    async open() {
      const database = await createTestDatabase();
      return { client: database.client, close: database.drop };
    },
  },
  {
    name: 'pglite',
    async open() {
      const client = await createTestPglite();
      return { client, close: () => client.close() };
    },
  },
];

/** The position suites also run the hypertable branch, on the TimescaleDB build of PGlite. */
export const POSITION_ENGINES: Engine[] = [
  ...ENGINES,
  {
    name: 'timescale-pglite',
    async open() {
      const client = await createTestTimescalePglite();
      return { client, close: () => client.close() };
    },
  },
];
