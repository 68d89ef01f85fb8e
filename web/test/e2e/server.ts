/**
 * A real `urbanlink start` for the browser tests: free ports, a fresh data directory (embedded PGlite), and
 * simulated JT/T 808 vehicles driving against it (they acknowledge text orders, which the test waits for). Everything is a child process, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../cli/bin/urbanlink.mjs', import.meta.url));
export const ADMIN_PASSWORD = 'e2e-admin-password';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestServer {
  baseUrl: string;
  jt808Port: number;
  /** Everything the server and the simulator printed, for the failure message. */
  output(): string;
  startSimulator(devices: number): void;
  stop(): Promise<void>;
}

function collect(child: ChildProcess, into: string[]): void {
  child.stdout?.on('data', (chunk: Buffer) => into.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => into.push(chunk.toString()));
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'urbanlink-web-e2e-'));
  const [httpPort, gt06Port, jt808Port] = [await freePort(), await freePort(), await freePort()];
  const log: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HTTP_PORT: String(httpPort),
    GT06_PORT: String(gt06Port),
    JT808_PORT: String(jt808Port),
    DATA_DIR: dataDir,
    URBANLINK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    INGEST_AUTO_REGISTER: 'true',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.MQTT_URL;
  const server = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  collect(server, log);
  let simulator: ChildProcess | undefined;
  const baseUrl = `http://127.0.0.1:${httpPort}`;

  const handle: TestServer = {
    baseUrl,
    jt808Port,
    output: () => log.join(''),
    startSimulator(devices) {
      simulator = spawn(process.execPath, [BIN, 'simulate', '--protocol', 'jt808', '--devices', String(devices), '--interval', '1', '--port', String(jt808Port)], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      collect(simulator, log);
    },
    async stop() {
      await stopChild(simulator);
      await stopChild(server);
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  // The first start builds the console and creates the database: allow for both on a busy machine. Once
  // the server says it is ready, the API and the console must answer soon.
  const deadline = Date.now() + 150_000;
  let readySince: number | undefined;
  for (;;) {
    if (readySince === undefined && handle.output().includes('urbanlink ready')) readySince = Date.now();
    if (server.exitCode !== null) {
      await handle.stop();
      throw new Error(`urbanlink start exited with ${server.exitCode}:\n${handle.output()}`);
    }
    const ok = await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false);
    const console = ok && (await fetch(`${baseUrl}/`).then((r) => r.ok, () => false));
    if (console) return handle;
    if (Date.now() > deadline || (readySince !== undefined && Date.now() - readySince > 20_000)) {
      await handle.stop();
      throw new Error(`urbanlink start did not serve /api/health and / in time:\n${handle.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
