import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_IDLE_TIMEOUT_SECONDS } from '../src/config.ts';

describe('configuration from the environment', () => {
  it('takes pino level names for LOG_LEVEL, and refuses others naming the variable', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow("LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got 'verbose'");
    expect(() => loadConfig({ LOG_LEVEL: 'INFO' })).toThrow('LOG_LEVEL must be one of');
  });

  it('caps INGEST_IDLE_TIMEOUT_SECONDS at a day, below what a Node timer can wait', () => {
    expect(loadConfig({}).ingest.idleTimeoutSeconds).toBe(300);
    expect(loadConfig({ INGEST_IDLE_TIMEOUT_SECONDS: String(MAX_IDLE_TIMEOUT_SECONDS) }).ingest.idleTimeoutSeconds).toBe(86_400);
    expect(MAX_IDLE_TIMEOUT_SECONDS * 1_000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(() => loadConfig({ INGEST_IDLE_TIMEOUT_SECONDS: '86401' })).toThrow("INGEST_IDLE_TIMEOUT_SECONDS must be an integer from 1 to 86400, got '86401'");
    expect(() => loadConfig({ INGEST_IDLE_TIMEOUT_SECONDS: '0' })).toThrow('INGEST_IDLE_TIMEOUT_SECONDS must be an integer from 1 to 86400');
  });

  it('reads INGEST_UDP_MAX_PEERS as a positive integer, unset leaving ingest its default', () => {
    expect(loadConfig({}).ingest.udpMaxPeers).toBeUndefined();
    expect(loadConfig({ INGEST_UDP_MAX_PEERS: '1000' }).ingest.udpMaxPeers).toBe(1_000);
    expect(() => loadConfig({ INGEST_UDP_MAX_PEERS: '0' })).toThrow("INGEST_UDP_MAX_PEERS must be a positive integer, got '0'");
    expect(() => loadConfig({ INGEST_UDP_MAX_PEERS: 'many' })).toThrow('INGEST_UDP_MAX_PEERS must be a positive integer');
  });
});
