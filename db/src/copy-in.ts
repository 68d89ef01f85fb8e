import type pg from 'pg';

/** The frontend messages of COPY FROM STDIN's data phase: CopyData ('d') and CopyDone ('c'). */
const COPY_DATA = 0x64;
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

/** What pg hands a submittable: the connection's socket and its simple-query writer. */
interface Connection {
  stream: NodeJS.WritableStream & { cork(): void; uncork(): void };
  query(text: string): void;
}

/**
 * A COPY … FROM STDIN whose data goes out with the query, in one write, instead of after the server's
 * CopyInResponse (as pg-copy-streams sends it). Waiting for that reply costs a round trip through this
 * process's event loop, and under ingest's load the server sat idle in ClientRead for it: about half a
 * backend on average at the maximum rate (pg_stat_activity, benchmarks/src/ingest.ts). Sending ahead is
 * safe: should the COPY fail before it reads the data (no such table, say), the server answers with an
 * error and ignores CopyData and CopyDone outside a COPY, as the protocol documents for this case.
 *
 * It is a pg "submittable": pg calls submit() when the connection is free, then the handle… methods as the
 * server's replies arrive.
 */
class PipelinedCopy {
  private readonly text: string;
  private readonly data: Buffer;
  private readonly resolve: () => void;
  private readonly reject: (error: Error) => void;

  constructor(text: string, data: Buffer, resolve: () => void, reject: (error: Error) => void) {
    this.text = text;
    this.data = data;
    this.resolve = resolve;
    this.reject = reject;
  }

  submit(connection: Connection): void {
    const header = Buffer.allocUnsafe(5);
    header[0] = COPY_DATA;
    header.writeUInt32BE(this.data.length + 4, 1);
    // Corked, the four messages leave in one writev.
    connection.stream.cork();
    connection.query(this.text);
    connection.stream.write(header);
    connection.stream.write(this.data);
    connection.stream.write(COPY_DONE);
    connection.stream.uncork();
  }

  // pg calls both; the data is on its way already, and a COPY's result is only that it succeeded.
  handleCopyInResponse(): void {}
  handleCommandComplete(): void {}

  /** The COPY has committed (or, inside a transaction, is done) and the connection is free again. */
  handleReadyForQuery(): void {
    this.resolve();
  }

  /** An ErrorResponse, or the connection failing; pg sends no ReadyForQuery to this query after either. */
  handleError(error: Error): void {
    this.reject(error);
  }
}

/** Runs COPY `table` (`columns`) FROM STDIN with `payload`: text format from a string, binary from a Buffer. */
export function copyIn(connection: pg.ClientBase, table: string, columns: readonly string[], payload: string | Buffer): Promise<void> {
  const binary = typeof payload !== 'string';
  const text = `COPY ${table} (${columns.join(', ')}) FROM STDIN${binary ? ' (FORMAT binary)' : ''}`;
  const data = binary ? payload : Buffer.from(payload, 'utf8');
  return new Promise((resolve, reject) => {
    // pg types query() for its own Query objects only; a submittable is any object with submit().
    void connection.query(new PipelinedCopy(text, data, resolve, reject) as unknown as pg.QueryConfig);
  });
}
