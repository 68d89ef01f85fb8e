// Terminal TCP/UDP servers, sessions, group-commit batching, live bus publishing.
export { startIngest, type Ingest, type IngestOptions } from './ingest.ts';
export type { ListenOptions } from './listeners.ts';
export { createSqlStore } from './sql-store.ts';
export type { IngestStore, DeviceRecord, PositionRow, DeviceStateRow, QueuedCommand, TerminalProtocol } from './store.ts';
export { startEmbeddedBroker, createLiveBus, topics, TOPIC_PREFIX, type EmbeddedBroker, type LiveBus, type LocalBus, type PositionHandler } from './bus.ts';
export { IngestMetrics } from './metrics.ts';
export { BatchWriter, type BatchWriterOptions } from './batch-writer.ts';
export { corkUntilNextTick } from './transport/cork.ts';
