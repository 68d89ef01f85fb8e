import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { QueryResult, SqlClient, SqlTransaction } from './sql-client.ts';

export interface PgliteClientOptions {
  /** A directory for the database files, or undefined for an in-memory database (tests). */
  dataDir?: string;
}

// PGlite reports affectedRows 0 for a SELECT, so take whichever count says more, as pg's rowCount would.
function normalise<Row>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> {
  return { rows: result.rows as Row[], rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

function transactionOn(tx: Transaction): SqlTransaction {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      return normalise<Row>(await tx.query(sql, params as unknown[] | undefined));
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
    // PGlite has no client COPY stream; callers fall back to one INSERT … SELECT FROM unnest.
    async copyText(): Promise<boolean> {
      return false;
    },
  };
}

export async function createPgliteClient(options: PgliteClientOptions): Promise<SqlClient> {
  // Match the pg client: int8 and numeric as numbers, not bigint or strings.
  const db = await PGlite.create(options.dataDir ?? 'memory://', {
    parsers: { 20: (value: string) => Number(value), 1700: (value: string) => Number(value) },
  });
  return {
    engine: 'pglite',
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      return normalise<Row>(await db.query(sql, params as unknown[] | undefined));
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
    async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(transactionOn(tx)));
    },
    async close(): Promise<void> {
      await db.close();
    },
  };
}
