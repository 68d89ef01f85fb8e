import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgClient } from '../src/pg-client.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

/** A TCP relay to PostgreSQL whose open connections can be severed, as when the server goes away. */
function relay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    sever(): void {
      for (const socket of sockets) socket.destroy();
    },
    async close(): Promise<void> {
      this.sever();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A client of one connection to `databaseUrl`, through a relay that can sever it. */
async function clientThroughRelay(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const proxy = relay({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(await proxy.listen());
  const client = await createPgClient({ connectionString: url.href, maxConnections: 1 });
  return { client, proxy };
}

describe('the PostgreSQL client', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('fails a transaction whose connection dies between statements, and recovers', async () => {
    const { client, proxy } = await clientThroughRelay(database.url);
    try {
      const transaction = client.transaction(async (tx) => {
        await tx.query('SELECT 1');
        proxy.sever();
        // Idle in the transaction while the socket closes: pg emits 'error' on the checked-out client.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('SELECT 2');
      });
      await expect(transaction).rejects.toThrow();
      // The pool holds one connection: the broken one must have been discarded, not reused.
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('runs a COPY outside a transaction as one: all rows, or none when one fails, and the connection stays usable', async () => {
    const client = await createPgClient({ connectionString: database.url, maxConnections: 1 });
    try {
      await client.exec('CREATE TABLE copy_alone (id integer PRIMARY KEY, name text)');
      expect(await client.copyText('copy_alone', ['id', 'name'], '1\tone\n2\ttwo\n')).toBe(true);
      // Row 3 is new, row 1 breaks the key: the COPY fails as a whole and row 3 is not kept.
      await expect(client.copyText('copy_alone', ['id', 'name'], '3\tthree\n1\tagain\n')).rejects.toThrow(/duplicate key/);
      expect((await client.query<{ id: number }>('SELECT id FROM copy_alone ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await client.close();
    }
  });

  it('sends COPY data with the query: a COPY that fails before reading it leaves the connection in step', async () => {
    const client = await createPgClient({ connectionString: database.url, maxConnections: 1 });
    try {
      // The server refuses the COPY itself, then reads the CopyData and CopyDone already sent and ignores them.
      await expect(client.copyText('no_such_table', ['id'], '1\n2\n')).rejects.toThrow(/no_such_table/);
      await expect(client.copyBinary('no_such_table', ['id'], Buffer.alloc(64))).rejects.toThrow(/no_such_table/);
      // One connection in the pool: were the ignored messages taken as answers, these would go astray.
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.exec('CREATE TABLE copy_after_error (id integer PRIMARY KEY)');
      expect(await client.transaction((tx) => tx.copyText('copy_after_error', ['id'], '7\n8\n'))).toBe(true);
      // A malformed binary payload fails in the data phase, and the connection is still usable.
      await expect(client.copyBinary('copy_after_error', ['id'], Buffer.from('not a binary copy'))).rejects.toThrow(/COPY/i);
      expect((await client.query<{ id: number }>('SELECT id FROM copy_after_error ORDER BY id')).rows).toEqual([{ id: 7 }, { id: 8 }]);
    } finally {
      await client.close();
    }
  });

  it('fails a COPY whose connection dies while its data is on the way, stores none of it, and recovers', async () => {
    const { client, proxy } = await clientThroughRelay(database.url);
    try {
      await client.exec('CREATE TABLE copy_severed (id integer PRIMARY KEY)');
      // 2 M rows of text: megabytes still in flight when the relay cuts both sockets.
      const rows = Array.from({ length: 2_000_000 }, (_, i) => `${i}\n`).join('');
      const copy = client.copyText('copy_severed', ['id'], rows);
      setTimeout(() => proxy.sever(), 5);
      await expect(copy).rejects.toThrow();
      expect((await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM copy_severed')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('asks the server to write its sessions\' pages out as it goes, unless the operator set that themselves', async () => {
    const flushAfter = async (connectionString: string) => {
      const client = await createPgClient({ connectionString, maxConnections: 1 });
      try {
        return (await client.query<{ backend_flush_after: string }>('SHOW backend_flush_after')).rows[0]!.backend_flush_after;
      } finally {
        await client.close();
      }
    };
    expect(await flushAfter(database.url)).toBe('256kB');
    const own = new URL(database.url);
    own.searchParams.set('options', '-c backend_flush_after=0');
    expect(await flushAfter(own.href)).toBe('0');
  });

  it('gives up on a server that accepts the connection and never answers', async () => {
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => {
      accepted.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = performance.now();
      await expect(createPgClient({ connectionString: `postgres://postgres@127.0.0.1:${port}/silent`, connectTimeoutMs: 300 })).rejects.toThrow(
        /timeout/,
      );
      expect(accepted.size).toBe(1);
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails a statement that waits longer than the connect timeout for a free connection', async () => {
    const client = await createPgClient({ connectionString: database.url, maxConnections: 1, connectTimeoutMs: 300 });
    try {
      let finish!: () => void;
      const held = client.transaction(() => new Promise<void>((resolve) => (finish = resolve)));
      await expect(client.query('SELECT 1')).rejects.toThrow(/timeout exceeded when trying to connect/);
      finish();
      await held;
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
    }
  });
});
