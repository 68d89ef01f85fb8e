import pg from 'pg';
import { copyIn } from './copy-in.ts';
import type { QueryResult, SqlClient, SqlTransaction } from './sql-client.ts';

// int8 and numeric come back as strings by default; our ids and counters fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PgClientOptions {
  connectionString: string;
  maxConnections?: number;
  /** How long opening a connection, or waiting for a free one, may take before it fails (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * Silence before TCP keepalive probes a connection, so that one whose server vanished without a reset is
 * found dead and dropped from the pool instead of being handed out (the system default is two hours).
 */
const KEEPALIVE_IDLE_MS = 10_000;

/**
 * backend_flush_after for UrbanLink's sessions: one that has written this much asks the kernel to write it
 * to disk at once. PostgreSQL leaves it off by default, and then ingest's COPYs (bigger than shared_buffers,
 * so each backend writes its own pages) left hundreds of megabytes dirty in the page cache. The kernel wrote
 * them back in one burst, when they were 30 s old or at a checkpoint's fsync, and every commit waited behind
 * it: acks stalled 100–400 ms in benchmarks/src/ingest.ts, with vmstat showing 600 MB written in one second.
 * Set by SET on each new connection rather than as a startup option, which PgBouncer refuses; an operator's
 * own value in DATABASE_URL's `options` or in PGOPTIONS is left alone.
 */
const BACKEND_FLUSH_AFTER = '256kB';

/** Whether the operator set backend_flush_after for these connections themselves. */
function operatorSetsFlushAfter(connectionString: string, environment: string | undefined): boolean {
  let options = environment ?? '';
  try {
    options += ' ' + (new URL(connectionString).searchParams.get('options') ?? '');
  } catch {
    options += ' ' + connectionString;
  }
  return options.includes('backend_flush_after');
}

async function copyOn(connection: pg.PoolClient, table: string, columns: readonly string[], payload: string | Buffer): Promise<boolean> {
  await copyIn(connection, table, columns, payload);
  return true;
}

/**
 * Runs `work` on a connection of its own. A connection that dies while checked out emits 'error' on the
 * client, which kills the process when nobody listens; listening turns it into a failed statement, and a
 * broken connection is handed back with its error so the pool discards it instead of reusing it.
 */
async function onConnection<T>(pool: pg.Pool, work: (connection: pg.PoolClient, breaks: (error: Error) => void) => Promise<T>): Promise<T> {
  const connection = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  connection.on('error', onError);
  try {
    return await work(connection, onError);
  } finally {
    connection.off('error', onError);
    connection.release(broken);
  }
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
    copyText: (table, columns, text) => copyOn(connection, table, columns, text),
    copyBinary: (table, columns, data) => copyOn(connection, table, columns, data),
  };
}

export async function createPgClient(options: PgClientOptions): Promise<SqlClient> {
  // No query or statement timeout for the whole pool: maintenance (compression, aggregate refreshes, moving
  // strays between partitions) and large COPYs legitimately run for minutes, and pg's client-side timeout
  // leaves the statement running on a connection that a transaction or COPY would then hand back for reuse.
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    // Before a new connection's first statement. Only a tuning: a server that refuses it works as before.
    ...(!operatorSetsFlushAfter(options.connectionString, process.env.PGOPTIONS) && {
      onConnect: async (connection: pg.ClientBase) => {
        await connection.query(`SET backend_flush_after = '${BACKEND_FLUSH_AFTER}'`).catch(() => {});
      },
    }),
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => {});

  // Fail fast with the driver's own message when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();
  return {
    engine: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await pool.query(sql);
    },
    // Without BEGIN/COMMIT around it: one round trip, and the COPY is still all rows or none.
    copyText: (table, columns, text) => onConnection(pool, (connection) => copyOn(connection, table, columns, text)),
    copyBinary: (table, columns, data) => onConnection(pool, (connection) => copyOn(connection, table, columns, data)),
    transaction: <T>(work: (tx: SqlTransaction) => Promise<T>) =>
      onConnection(pool, async (connection, breaks) => {
        try {
          await connection.query('BEGIN');
          const result = await work(transactionOn(connection));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch(breaks);
          throw error;
        }
      }),
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
