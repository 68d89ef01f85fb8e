/** CONTRACT.md topic prefix; everything UrbanLink publishes lives under it. */
export const TOPIC_PREFIX = 'urbanlink/v1/';

export const topics = {
  position: (uniqueId: string) => `${TOPIC_PREFIX}devices/${uniqueId}/position`,
  event: (uniqueId: string) => `${TOPIC_PREFIX}devices/${uniqueId}/event`,
  command: (uniqueId: string) => `${TOPIC_PREFIX}devices/${uniqueId}/command`,
  /** Every device's command topic, for the ingest process that holds sessions. */
  allCommands: `${TOPIC_PREFIX}devices/+/command`,
} as const;
