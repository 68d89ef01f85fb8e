import { pino } from 'pino';
import { DEFAULT_BACKGROUND_THREADS_NICE } from './background-threads.ts';

/**
 * Configuration from the environment (CONTRACT.md names). Every variable is listed in the README; a bad
 * value stops start-up with a message naming the variable.
 */
export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  httpPort: number;
  gt06Port: number;
  jt808Port: number;
  mqttUrl: string | undefined;
  mqttPort: number | undefined;
  adminPassword: string | undefined;
  open311ApiKeys: string[];
  logLevel: string;
  /** BACKGROUND_THREADS_NICE: the nice value of the process's threads other than the event loop's (Linux). */
  backgroundThreadsNice: number;
  ingest: IngestConfig;
}

/**
 * Ingest tuning (INGEST_*): defaults suit one small server; see docs/operations-scaling.md. The group-commit
 * settings are undefined when unset, so ingest's own defaults (ingest/src/ingest.ts) are the only ones.
 */
export interface IngestConfig {
  /** INGEST_AUTO_REGISTER=true creates devices for unknown terminals instead of refusing them. */
  autoRegister: boolean;
  /** INGEST_BATCH_MAX_SIZE: positions per group commit at most. */
  batchMaxSize: number | undefined;
  /** INGEST_BATCH_WINDOW_MS: how long the first position of a batch waits for others. */
  batchWindowMs: number | undefined;
  /** INGEST_WRITE_CONCURRENCY: group commits in flight at once. */
  writeConcurrency: number | undefined;
  /** INGEST_MAX_HELD_POSITIONS: positions held before TCP reading pauses and UDP datagrams are dropped. */
  maxHeldPositions: number | undefined;
  /** INGEST_IDLE_TIMEOUT_SECONDS: a silent terminal connection is closed after this long. */
  idleTimeoutSeconds: number;
  /** INGEST_UDP_MAX_PEERS: UDP sessions kept at once on each protocol's port. */
  udpMaxPeers: number | undefined;
}

/** A day: the longest idle timeout, and far below the 2^31-1 ms a Node timer can wait. */
export const MAX_IDLE_TIMEOUT_SECONDS = 86_400;

/** An integer setting from `min` to `max`, `fallback` when unset; a bad value throws, naming the variable. */
function integerSetting(env: NodeJS.ProcessEnv, name: string, min: number, max: number, expected: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be ${expected}, got '${raw}'`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number;
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined;
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback?: number): number | undefined {
  return integerSetting(env, name, 1, Infinity, 'a positive integer', fallback);
}

// Lowering a thread's priority needs no privilege; raising it above the event loop's would defeat the point.
function niceValue(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return integerSetting(env, name, 0, 19, 'an integer from 0 to 19', fallback)!;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new Error(`${name} must be true or false, got '${env[name]}'`);
}

function logLevel(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const levels = [...Object.keys(pino.levels.values), 'silent'];
  if (!levels.includes(raw)) throw new Error(`${name} must be one of ${levels.join(', ')}, got '${raw}'`);
  return raw;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  return integerSetting(env, name, 0, 65535, 'a port number from 0 to 65535', fallback);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || './data',
    httpPort: port(env, 'HTTP_PORT', 8080)!,
    gt06Port: port(env, 'GT06_PORT', 5023)!,
    jt808Port: port(env, 'JT808_PORT', 5015)!,
    mqttUrl: env.MQTT_URL || undefined,
    mqttPort: port(env, 'MQTT_PORT', undefined),
    adminPassword: env.URBANLINK_ADMIN_PASSWORD || undefined,
    open311ApiKeys: (env.OPEN311_API_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean),
    logLevel: logLevel(env, 'LOG_LEVEL', 'info'),
    backgroundThreadsNice: niceValue(env, 'BACKGROUND_THREADS_NICE', DEFAULT_BACKGROUND_THREADS_NICE),
    ingest: {
      autoRegister: flag(env, 'INGEST_AUTO_REGISTER'),
      batchMaxSize: positiveInteger(env, 'INGEST_BATCH_MAX_SIZE'),
      batchWindowMs: positiveInteger(env, 'INGEST_BATCH_WINDOW_MS'),
      writeConcurrency: positiveInteger(env, 'INGEST_WRITE_CONCURRENCY'),
      maxHeldPositions: positiveInteger(env, 'INGEST_MAX_HELD_POSITIONS'),
      idleTimeoutSeconds: integerSetting(env, 'INGEST_IDLE_TIMEOUT_SECONDS', 1, MAX_IDLE_TIMEOUT_SECONDS, `an integer from 1 to ${MAX_IDLE_TIMEOUT_SECONDS}`, 300)!,
      udpMaxPeers: positiveInteger(env, 'INGEST_UDP_MAX_PEERS'),
    },
  };
}
