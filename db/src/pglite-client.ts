import { PGlite } from '@electric-sql/pglite';
import type { QueryResult, SqlClient, SqlTransaction } from './sql-client.ts';

export interface PgliteClientOptions {
  /** A directory for the database files, or undefined for an in-memory database (tests). */
  dataDir?: string;
}

/** What UrbanLink uses of a PGlite instance; the TimescaleDB build of PGlite has the same shape. */
export interface PgliteQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

export interface PgliteLike extends PgliteQueryable {
  transaction<T>(work: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Match the pg client: int8 and numeric as numbers, not bigint or strings. Pass to PGlite.create. */
export const PGLITE_PARSERS = { 20: (value: string) => Number(value), 1700: (value: string) => Number(value) };

// PGlite reports affectedRows 0 for a SELECT, so take whichever count says more, as pg's rowCount would.
function normalise<Row>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> {
  return { rows: result.rows as Row[], rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

function transactionOn(tx: PgliteQueryable): SqlTransaction {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      return normalise<Row>(await tx.query(sql, params as unknown[] | undefined));
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
    copyText: noClientCopy,
    copyBinary: noClientCopy,
  };
}

// PGlite has no client COPY stream; callers fall back to one INSERT … SELECT FROM unnest.
async function noClientCopy(): Promise<boolean> {
  return false;
}

/** A SqlClient over an open PGlite instance (either build); close() closes the instance. */
export function wrapPglite(db: PgliteLike): SqlClient {
  return {
    engine: 'pglite',
    poolStats: () => null,
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      return normalise<Row>(await db.query(sql, params as unknown[] | undefined));
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
    copyText: noClientCopy,
    copyBinary: noClientCopy,
    async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(transactionOn(tx)));
    },
    async close(): Promise<void> {
      await db.close();
    },
  };
}

export async function createPgliteClient(options: PgliteClientOptions): Promise<SqlClient> {
  return wrapPglite(await PGlite.create(options.dataDir ?? 'memory://', { parsers: PGLITE_PARSERS }));
}
