import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, type ApiConfig } from '../src/config.ts';
import { ADMIN_PASSWORD, bearer, buildTestApp, type TestApp } from './helper.ts';

/** The API as `urbanlink start` builds it: its settings read from an environment. */
function appFromEnv(env: Record<string, string>, extra: Partial<ApiConfig> = {}): Promise<TestApp> {
  return buildTestApp({ config: { ...configFromEnv({ URBANLINK_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env }), ...extra } });
}

describe('configFromEnv', () => {
  it('reads CORS_ORIGINS, TOKEN_TTL_SECONDS and TRUST_PROXY, and leaves unset ones to the defaults', () => {
    expect(configFromEnv({})).toEqual({ adminPassword: undefined });
    expect(configFromEnv({ CORS_ORIGINS: ' https://a.example , https://b.example,' })).toMatchObject({ corsOrigins: ['https://a.example', 'https://b.example'] });
    expect(configFromEnv({ CORS_ORIGINS: '*' })).toMatchObject({ corsOrigins: true });
    expect(configFromEnv({ TOKEN_TTL_SECONDS: '600' })).toMatchObject({ tokenTtlSeconds: 600 });
    expect(configFromEnv({ TRUST_PROXY: 'true' })).toMatchObject({ trustProxy: true });
    expect(configFromEnv({ TRUST_PROXY: 'false' })).toMatchObject({ trustProxy: false });
    expect(configFromEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1/128,172.16.0.0/255.240.0.0,loopback' })).toMatchObject({
      trustProxy: '127.0.0.1, 10.0.0.0/8,::1/128,172.16.0.0/255.240.0.0,loopback',
    });
  });

  it('refuses a bad value with an error naming the variable', () => {
    for (const ttl of ['0', '-5', '1.5', 'soon']) {
      expect(() => configFromEnv({ TOKEN_TTL_SECONDS: ttl }), ttl).toThrow(`TOKEN_TTL_SECONDS must be a positive whole number, got '${ttl}'`);
    }
    for (const [proxy, wrong] of [['yes', 'yes'], ['127.0.0.1,proxy.local', 'proxy.local'], ['10.0.0.0/33', '10.0.0.0/33'], ['10.0.0.0/0', '10.0.0.0/0'], ['::1/ffff::', '::1/ffff::']]) {
      expect(() => configFromEnv({ TRUST_PROXY: proxy }), proxy).toThrow(`TRUST_PROXY must be true, false or comma-separated proxy addresses or ranges, got '${wrong}'`);
    }
  });
});

describe('CORS_ORIGINS and TRUST_PROXY in a running API', () => {
  let proxied: TestApp;
  let direct: TestApp;
  beforeAll(async () => {
    // inject() comes from 127.0.0.1 unless told otherwise: the trusted proxy here.
    proxied = await appFromEnv({ CORS_ORIGINS: 'https://console.example,https://ops.example', TRUST_PROXY: '127.0.0.1' }, { loginAttemptsPerMinute: 2 });
    direct = await appFromEnv({}, { loginAttemptsPerMinute: 2 });
  });
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
  });

  it('answers an allowed origin with Access-Control-Allow-Origin, and no other origin', async () => {
    for (const origin of ['https://console.example', 'https://ops.example']) {
      const response = await proxied.app.inject({ method: 'GET', url: '/api/health', headers: { origin } });
      expect(response.headers['access-control-allow-origin']).toBe(origin);
    }
    const preflight = await proxied.app.inject({
      method: 'OPTIONS',
      url: '/api/devices',
      headers: { origin: 'https://console.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://console.example');
    expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
    const other = await proxied.app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example' } });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // Unset, CORS is off: no origin is allowed.
    const off = await direct.app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://console.example' } });
    expect(off.headers['access-control-allow-origin']).toBeUndefined();
  });

  /** Creates a unit from `remoteAddress` with the given X-Forwarded-For; returns the address its audit entry records. */
  async function auditedAddress(t: TestApp, remoteAddress: string, forwardedFor: string): Promise<string> {
    const created = await t.app.inject({
      method: 'POST', url: '/api/units', remoteAddress, payload: { name: `squad via ${remoteAddress}`, kind: 'squad' },
      headers: { ...bearer(t.adminToken), 'x-forwarded-for': forwardedFor },
    });
    expect(created.statusCode).toBe(201);
    const log = await t.app.inject({ method: 'GET', url: `/api/audit?entityType=unit&entityId=${created.json().id}`, headers: bearer(t.adminToken) });
    return log.json()[0].ip;
  }

  it('records the forwarded address of a change only when the request came through a trusted proxy', async () => {
    expect(await auditedAddress(proxied, '127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    // The nearest untrusted hop is the client: a proxy chain 'client, proxy' gives the client.
    expect(await auditedAddress(proxied, '127.0.0.1', '203.0.113.8, 127.0.0.1')).toBe('203.0.113.8');
    // A socket that is not the trusted proxy cannot name itself someone else.
    expect(await auditedAddress(proxied, '198.51.100.9', '203.0.113.7')).toBe('198.51.100.9');
    expect(await auditedAddress(direct, '127.0.0.1', '203.0.113.7')).toBe('127.0.0.1');
  });

  async function loginStatuses(t: TestApp, forwardedFor: string[]): Promise<number[]> {
    const statuses: number[] = [];
    for (const address of forwardedFor) {
      const response = await t.app.inject({
        method: 'POST', url: '/api/auth/login', payload: { username: 'guesser', password: 'wrong-password' }, headers: { 'x-forwarded-for': address },
      });
      statuses.push(response.statusCode);
    }
    return statuses;
  }

  it('limits sign-in attempts per forwarded address behind a trusted proxy, and per socket address without', async () => {
    expect(await loginStatuses(proxied, ['203.0.113.20', '203.0.113.20', '203.0.113.20'])).toEqual([401, 401, 429]);
    // Another client behind the same proxy is not held back by the first one's attempts.
    expect(await loginStatuses(proxied, ['203.0.113.21', '203.0.113.21'])).toEqual([401, 401]);
    // Without TRUST_PROXY the header is ignored: changing it every time does not escape the limit.
    expect(await loginStatuses(direct, ['203.0.113.30', '203.0.113.31', '203.0.113.32'])).toEqual([401, 401, 429]);
  });
});

describe('TOKEN_TTL_SECONDS in a running API', () => {
  it('gives a session the configured lifetime and refuses its token once that is over', async () => {
    const t = await appFromEnv({ TOKEN_TTL_SECONDS: '1' });
    try {
      const before = Date.now();
      const signedIn = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      const { token, expiresAt } = signedIn.json<{ token: string; expiresAt: string }>();
      expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(500);
      expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(1500);
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 100));
      const expired = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
      expect(expired.json()).toMatchObject({ statusCode: 401, message: 'the token is unknown, expired or revoked; sign in again' });
    } finally {
      await t.close();
    }
  });

  it('lasts twelve hours when unset', async () => {
    const t = await appFromEnv({});
    try {
      const before = Date.now();
      const signedIn = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      const lifetimeMs = Date.parse(signedIn.json().expiresAt) - before;
      expect(Math.abs(lifetimeMs - 12 * 3600 * 1000)).toBeLessThan(5000);
    } finally {
      await t.close();
    }
  });
});
