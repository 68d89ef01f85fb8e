/**
 * Concurrent terminal connections: several child processes open GT06 connections to one ingest process
 * (this one, on PostgreSQL) until the target is reached, each reporting every 30 s, held for a while. Prints
 * the ingest process's RSS per connection against its RSS with no connection (the baseline measured in the
 * same run), and the ack latency p99 under that load. The open-file limit (ulimit -n, 20 000 here) caps one
 * process; docs/operations-scaling.md says how to go to 100 000.
 * Run: npm run -w @urbanlink/benchmarks connections   (BENCH_CONNECTIONS=18000 BENCH_HOLD_SECONDS=180)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { insertDevice } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import { createSqlStore, startIngest } from '@urbanlink/ingest';
import type { ConnectionsLoadOptions, ConnectionsLoadResult } from './connections-load.ts';
import { imeiOf } from './ingest-load.ts';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const TOTAL = Number(process.env.BENCH_CONNECTIONS ?? 18_000);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 3);
const HOLD_S = Number(process.env.BENCH_HOLD_SECONDS ?? 180);
const INTERVAL_S = 30;
const LOAD_SCRIPT = fileURLToPath(new URL('./connections-load.ts', import.meta.url));

function rssMb(): number {
  return process.memoryUsage.rss() / 1_048_576;
}

function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  return new Promise((resolve) => setTimeout(resolve, 1_000));
}

function runChild(options: ConnectionsLoadOptions): Promise<ConnectionsLoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ConnectionsLoadResult) : reject(new Error(`load process exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  try {
    await db.client.transaction(async (tx) => {
      for (let n = 1; n <= TOTAL; n++) await insertDevice(tx, { uniqueId: imeiOf(n), name: `conn ${n}`, protocol: 'gt06' });
    });
    const ingest = await startIngest({
      store: createSqlStore(db.client),
      logger: pino({ level: 'warn' }),
      gt06: { port: 0, host: '127.0.0.1', udp: false },
      jt808: false,
      metricsLogMs: 0,
    });
    await settle();
    const baselineMb = rssMb();
    const perProcess = Math.ceil(TOTAL / PROCESSES);
    let peakConnections = 0;
    let rssAtPeakMb = baselineMb;
    const sampler = setInterval(() => {
      const open = Number(/^urbanlink_ingest_connections (\d+)$/m.exec(ingest.renderMetrics())?.[1] ?? 0);
      if (open > peakConnections) {
        (globalThis as { gc?: () => void }).gc?.();
        peakConnections = open;
        rssAtPeakMb = rssMb();
      }
    }, 1_000);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        runChild({ port: ingest.ports.gt06!, firstDevice: 1 + i * perProcess, connections: Math.min(perProcess, TOTAL - i * perProcess), ratePerS: 1_000 / PROCESSES, intervalS: INTERVAL_S, holdS: HOLD_S }),
      ),
    );
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1_000;
    await ingest.close();
    const connected = results.reduce((sum, r) => sum + r.connected, 0);
    const retried = results.reduce((sum, r) => sum + r.failed, 0);
    const acked = results.reduce((sum, r) => sum + r.acked, 0);
    const p99 = Math.max(...results.map((r) => r.p99Ms));
    const p50 = Math.max(...results.map((r) => r.p50Ms));
    const perConnectionKb = ((rssAtPeakMb - baselineMb) * 1_024) / Math.max(1, peakConnections);
    process.stdout.write(
      [
        `connections benchmark — ${PROCESSES} terminal processes, ${TOTAL} GT06 terminals, a position every ${INTERVAL_S} s, held ${HOLD_S} s (${seconds.toFixed(0)} s in all)`,
        '',
        `  ingest RSS with no connection (baseline)  ${baselineMb.toFixed(1)} MB`,
        `  ingest RSS at ${peakConnections} connections      ${rssAtPeakMb.toFixed(1)} MB`,
        `  RSS per connection                        ${perConnectionKb.toFixed(1)} KB   (target < 10 KB)`,
        `  terminals logged in ${connected} (connection attempts retried: ${retried}), positions acknowledged in the steady state ${acked}`,
        `  steady-state ack latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (worst process)`,
        '',
      ].join('\n'),
    );
  } finally {
    await db.drop();
  }
}

await main();
