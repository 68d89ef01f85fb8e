/** CONTRACT.md's per-device MQTT topics, as the API reads and writes them: `urbanlink/v1/devices/{uniqueId}/…`. */
export const DEVICE_TOPIC_PREFIX = 'urbanlink/v1/devices/';
export const POSITION_SUFFIX = '/position';
export const EVENT_SUFFIX = '/event';

/** Every device's positions, and every device's events: what the API listens to. */
export const ALL_POSITIONS = `${DEVICE_TOPIC_PREFIX}+${POSITION_SUFFIX}`;
export const ALL_EVENTS = `${DEVICE_TOPIC_PREFIX}+${EVENT_SUFFIX}`;

/** Events of one device: alarm changes the API publishes. */
export function eventTopic(uniqueId: string): string {
  return `${DEVICE_TOPIC_PREFIX}${uniqueId}${EVENT_SUFFIX}`;
}

/** A queued command's notice, `{ "id" }`, for the ingest process that holds the terminal's session. */
export function commandTopic(uniqueId: string): string {
  return `${DEVICE_TOPIC_PREFIX}${uniqueId}/command`;
}
