import { randomBytes } from 'node:crypto';
import { Limiter } from './limiter.ts';
import type { DeviceRecord, IngestStore, TerminalProtocol } from './store.ts';

/** How long an unknown uniqueId is remembered as unknown: a device added by the API is found soon after. */
const UNKNOWN_TTL_MS = 10_000;
/** How long a known device is trusted from the cache: settings changed or a device deleted through the API
 * apply from the terminal's next login after this. */
const KNOWN_TTL_MS = 60_000;

/**
 * Who a terminal is: looks devices up by uniqueId (cached, so a reconnect storm does not become a query
 * storm), auto-registers them when configured to, and issues JT/T 808 authentication codes.
 */
export class DeviceDirectory {
  private readonly store: IngestStore;
  private readonly autoRegister: boolean;
  private readonly known = new Map<string, { device: DeviceRecord; until: number }>();
  private readonly unknownUntil = new Map<string, number>();
  // A reconnect storm looks up thousands of devices; a few at a time keep pool connections for writes.
  private readonly lookups = new Limiter(4);

  constructor(store: IngestStore, options: { autoRegister: boolean }) {
    this.store = store;
    this.autoRegister = options.autoRegister;
  }

  /** The device, or null when it is unknown and auto-registration is off. */
  async resolve(uniqueId: string, protocol: TerminalProtocol): Promise<DeviceRecord | null> {
    const cached = this.known.get(uniqueId);
    if (cached && cached.until > Date.now()) return cached.device;
    this.known.delete(uniqueId);
    if ((this.unknownUntil.get(uniqueId) ?? 0) > Date.now()) return null;
    let device = await this.lookups.run(() => this.store.findDevice(uniqueId));
    if (!device && this.autoRegister) device = await this.lookups.run(() => this.store.createDevice(uniqueId, protocol));
    if (!device) {
      this.unknownUntil.set(uniqueId, Date.now() + UNKNOWN_TTL_MS);
      // Bounded: a scan of random IMEIs must not grow this map for ever.
      if (this.unknownUntil.size > 10_000) this.unknownUntil.clear();
      return null;
    }
    this.unknownUntil.delete(uniqueId);
    this.known.set(uniqueId, { device, until: Date.now() + KNOWN_TTL_MS });
    return device;
  }

  /** Reads the device again (its auth code or settings may have changed through the API). */
  async refresh(uniqueId: string, protocol: TerminalProtocol): Promise<DeviceRecord | null> {
    this.known.delete(uniqueId);
    this.unknownUntil.delete(uniqueId);
    return this.resolve(uniqueId, protocol);
  }

  /** The code a registering terminal gets: the stored one if any (a re-registration), else a new one. */
  async issueAuthCode(device: DeviceRecord): Promise<string> {
    if (device.authCode) return device.authCode;
    const code = randomBytes(6).toString('hex');
    await this.store.setAuthCode(device.id, code);
    this.known.set(device.uniqueId, { device: { ...device, authCode: code }, until: Date.now() + KNOWN_TTL_MS });
    return code;
  }
}
