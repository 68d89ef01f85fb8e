import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { QueryResult, SqlClient, SqlTransaction } from './sql-client.ts';

// int8 and numeric come back as strings by default; our ids and counters fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PgClientOptions {
  connectionString: string;
  maxConnections?: number;
}

function transactionOn(connection: pg.PoolClient): SqlTransaction {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const result = await connection.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await connection.query(sql);
    },
    async copyText(table: string, columns: readonly string[], text: string): Promise<boolean> {
      const stream = connection.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      await pipeline(Readable.from([text]), stream);
      return true;
    },
  };
}

export async function createPgClient(options: PgClientOptions): Promise<SqlClient> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => {});
  // Fail fast with the driver's own message when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();
  return {
    engine: 'postgres',
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await pool.query(sql);
    },
    async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      // A connection that dies between two statements emits 'error' on the checked-out client, which kills
      // the process when nobody listens. Listening turns it into a failed next statement, and a broken
      // connection is handed back with its error so the pool discards it instead of reusing it.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      connection.on('error', onError);
      try {
        await connection.query('BEGIN');
        const result = await work(transactionOn(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch((rollbackError: Error) => {
          broken ??= rollbackError;
        });
        throw error;
      } finally {
        connection.off('error', onError);
        connection.release(broken);
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
