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
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got '${raw}'`);
  }
  return value;
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
    logLevel: env.LOG_LEVEL || 'info',
  };
}
