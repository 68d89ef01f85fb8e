import type { Logger } from 'pino';
import type { DeviceStates } from './device-state.ts';
import type { IngestStore } from './store.ts';

export interface DeviceStateWriter {
  /** Writes what changed since the last write; resolves when it is written (or has failed and been kept). */
  flush(): Promise<void>;
  stop(): void;
}

/** Writes the devices' changed states every `intervalMs`, one statement for all of them. */
export function startDeviceStateWriter(states: DeviceStates, store: IngestStore, log: Logger, intervalMs: number): DeviceStateWriter {
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    writing = writing.then(async () => {
      const rows = states.takeChanges();
      if (rows.length === 0) return;
      try {
        await store.upsertDeviceStates(rows);
      } catch (error) {
        states.restore(rows);
        log.warn({ err: error, devices: rows.length }, 'device state write failed; will retry');
      }
    });
    return writing;
  };
  const timer = setInterval(flush, intervalMs);
  timer.unref();
  return { flush, stop: () => clearInterval(timer) };
}
