/**
 * The one seam between UrbanLink's SQL and the engine running it: a pg pool against PostgreSQL, or an
 * in-process PGlite when no DATABASE_URL is set. Query modules in `queries/` take a SqlClient and never
 * know which one they got. No other package imports `pg`.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements with no parameters (a migration file). */
  exec(sql: string): Promise<void>;
  /**
   * Streams rows into `table` with COPY FROM STDIN in text format where the engine supports it
   * (PostgreSQL); `text` is the whole COPY payload. Outside a transaction the COPY is one by itself: all
   * rows or none. Returns false when the engine has no COPY from a client stream, so the caller falls back
   * to an INSERT.
   */
  copyText(table: string, columns: readonly string[], text: string): Promise<boolean>;
  /** As copyText, with a payload in COPY's binary format (`data` holds header, rows and trailer). */
  copyBinary(table: string, columns: readonly string[], data: Buffer): Promise<boolean>;
}

/** A connection pool at one moment. */
export interface PoolStats {
  /** Connections open, idle or in use. */
  total: number;
  idle: number;
  /** Callers waiting for a connection to come free (or to be opened). */
  waiting: number;
}

export interface SqlClient extends SqlExecutor {
  readonly engine: 'postgres' | 'pglite';
  /** The pool's figures now; null on PGlite, which is one connection inside the process. */
  poolStats(): PoolStats | null;
  /** Runs `work` in one transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type SqlTransaction = SqlExecutor;
