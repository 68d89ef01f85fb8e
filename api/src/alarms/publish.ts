import type { FastifyInstance } from 'fastify';
import type { AlarmRecord } from '@urbanlink/db';
import { alarmEvent, alarmTopic, type AlarmChange } from './alarm-json.ts';

/**
 * Announces an alarm change on MQTT (`urbanlink/v1/devices/{uniqueId}/event`); the API's own subscription
 * brings it back into the live feed, so browsers of every API process see it. Without a bus it goes into
 * this process's live feed directly.
 */
export async function publishAlarm(app: FastifyInstance, alarm: AlarmRecord, change: AlarmChange): Promise<void> {
  const event = alarmEvent(alarm, change);
  if (app.bus) {
    await app.bus.publish(alarmTopic(alarm), event);
    return;
  }
  app.liveFeed.emit('event', { ...event, uniqueId: alarm.uniqueId, type: 'alarm' });
}
