import type { Logger } from 'pino';
import { positionToJson } from '@urbanlink/protocols';
import { BatchWriter } from './batch-writer.ts';
import type { LiveBus } from './bus.ts';
import type { DeviceStates } from './device-state.ts';
import type { IngestMetrics } from './metrics.ts';
import type { IngestStore, PositionRow } from './store.ts';

/**
 * A position waiting for its commit: the row as the store takes it (with its attributes' JSON, made once
 * for both the row and the MQTT message), and the id its MQTT topic names.
 */
export interface HeldPosition extends PositionRow {
  uniqueId: string;
  attributesJson: string;
}

export interface PositionWriterOptions {
  store: IngestStore;
  bus: LiveBus | undefined;
  metrics: IngestMetrics;
  states: DeviceStates;
  log: Logger;
  publishEvent(uniqueId: string, event: object): void;
  onSaturation(saturated: boolean): void;
  maxBatch: number;
  windowMs: number;
  capacity: number;
  concurrency: number;
}

/**
 * The group commit of positions from every connection. After a batch commits, and before its acks are
 * released, each new position becomes the device's latest, is published on MQTT, and its alarms become
 * events; a resent position (already stored) is acknowledged again but not published again.
 */
export function createPositionWriter(options: PositionWriterOptions): BatchWriter<HeldPosition, boolean> {
  const { store, bus, metrics, states, log } = options;

  const afterCommit = (held: HeldPosition[], inserted: boolean[]) => {
    const now = Date.now();
    let duplicates = 0;
    for (let i = 0; i < held.length; i++) {
      const row = held[i]!;
      if (!inserted[i]) {
        duplicates++;
        continue;
      }
      states.stored(row.deviceId, row.position, now);
      if (!bus) continue;
      bus.publishPosition(row.deviceId, row.uniqueId, row.position, row.attributesJson);
      if (row.position.alarms.length > 0) {
        options.publishEvent(row.uniqueId, { type: 'alarm', deviceId: row.deviceId, alarms: row.position.alarms, position: positionToJson(row.position) });
      }
    }
    metrics.positionsStored.inc({}, held.length - duplicates);
    if (duplicates > 0) metrics.positionsDuplicate.inc({}, duplicates);
  };

  const writer: BatchWriter<HeldPosition, boolean> = new BatchWriter<HeldPosition, boolean>({
    maxBatch: options.maxBatch,
    windowMs: options.windowMs,
    capacity: options.capacity,
    maxInFlight: options.concurrency,
    async write(items) {
      const inserted = await store.writePositions(items);
      afterCommit(items, inserted);
      return inserted;
    },
    onSaturation(saturated) {
      if (saturated) metrics.inputPauses.inc();
      log.warn({ held: writer.held }, saturated ? 'database behind: pausing terminal input' : 'database caught up: resuming terminal input');
      options.onSaturation(saturated);
    },
    onWrite(size, durationMs, error) {
      if (error) {
        metrics.writeFailures.inc();
        log.warn({ err: error, size }, 'position write failed; terminals will resend');
        return;
      }
      metrics.batchSize.observe(size);
      metrics.commitSeconds.observe(durationMs / 1_000);
    },
  });
  return writer;
}
