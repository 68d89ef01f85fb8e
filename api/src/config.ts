import { isIP } from 'node:net';

/**
 * API settings with their defaults. `urbanlink start` fills them from the environment (CONTRACT.md names);
 * tests pass the few they care about.
 */
export interface ApiConfig {
  /** Password for the `admin` user created on first start; a random one is generated and printed when unset. */
  adminPassword: string | undefined;
  /** How long a login token stays valid. */
  tokenTtlSeconds: number;
  /** Origins allowed by CORS: `true` reflects any origin, an empty list turns CORS off. */
  corsOrigins: string[] | true;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Login attempts allowed per client address per minute. */
  loginAttemptsPerMinute: number;
  /** How often live changes are pushed to WebSocket clients; changes within one tick are coalesced. */
  liveTickMs: number;
  /** A command its terminal has not answered within this time (still queued, or sent) expires. */
  commandTtlSeconds: number;
  /** How often commands past their expiry are marked expired (and ended sessions cleared). */
  commandSweepMs: number;
  /**
   * Whether X-Forwarded-For names the client (audit log, login rate limit): false, true, or the proxy
   * addresses to trust (`'127.0.0.1,10.0.0.0/8'`). Off by default, since anyone can send the header.
   */
  trustProxy: boolean | string;
  /** Where the generated admin password is shown; the console by default. */
  announce: (text: string) => void;
}

export const DEFAULT_CONFIG: ApiConfig = {
  adminPassword: undefined,
  tokenTtlSeconds: 12 * 3600,
  corsOrigins: [],
  bodyLimitBytes: 1024 * 1024,
  loginAttemptsPerMinute: 10,
  liveTickMs: 1000,
  commandTtlSeconds: 24 * 3600,
  commandSweepMs: 10_000,
  trustProxy: false,
  announce: (text) => process.stdout.write(text + '\n'),
};

export function resolveConfig(partial: Partial<ApiConfig> = {}): ApiConfig {
  const config = { ...DEFAULT_CONFIG, ...partial };
  for (const key of ['tokenTtlSeconds', 'bodyLimitBytes', 'loginAttemptsPerMinute', 'liveTickMs', 'commandTtlSeconds', 'commandSweepMs'] as const) {
    if (!Number.isFinite(config[key]) || config[key] <= 0) throw new Error(`api config ${key} must be a positive number`);
  }
  return config;
}

// The names proxy-addr (fastify's trustProxy) accepts besides addresses and ranges.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An entry of TRUST_PROXY: `10.0.0.1`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `::1/128` or a range name. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) >= 1 && Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

/**
 * Reads the API's optional environment variables: CORS_ORIGINS (comma-separated, or `*`), TOKEN_TTL_SECONDS,
 * TRUST_PROXY (`true`, or the proxies' addresses).
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ApiConfig> {
  const config: Partial<ApiConfig> = { adminPassword: env.URBANLINK_ADMIN_PASSWORD || undefined };
  const cors = env.CORS_ORIGINS?.trim();
  if (cors) config.corsOrigins = cors === '*' ? true : cors.split(',').map((origin) => origin.trim()).filter(Boolean);
  const ttl = env.TOKEN_TTL_SECONDS;
  if (ttl) {
    const seconds = Number(ttl);
    if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`TOKEN_TTL_SECONDS must be a positive whole number, got '${ttl}'`);
    config.tokenTtlSeconds = seconds;
  }
  const proxy = env.TRUST_PROXY?.trim();
  if (proxy === 'true' || proxy === 'false') config.trustProxy = proxy === 'true';
  else if (proxy) {
    // Checked here so that a typo names the variable; fastify would refuse it later as a bare 'invalid IP address'.
    const wrong = proxy.split(',').map((entry) => entry.trim()).find((entry) => !isProxyAddress(entry));
    if (wrong !== undefined) throw new Error(`TRUST_PROXY must be true, false or comma-separated proxy addresses or ranges, got '${wrong}'`);
    config.trustProxy = proxy;
  }
  return config;
}
