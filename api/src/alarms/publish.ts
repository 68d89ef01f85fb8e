import type { FastifyInstance } from 'fastify';
import type { AlarmRecord } from '@urbanlink/db';
import { alarmEvent, alarmTopic, type AlarmChange } from './alarm-json.ts';

/**
 * Announces an alarm change on MQTT (`urbanlink/v1/devices/{uniqueId}/event`); the API's own subscription
 * brings it back into the live feed, so browsers of every API process see it. Without a bus it goes into
 * this process's live feed directly. The change is already stored: a broker that is away is logged, not
 * turned into a failed request, and dispatchers still find the alarm in the list.
 */
export async function publishAlarm(app: FastifyInstance, alarm: AlarmRecord, change: AlarmChange): Promise<void> {
  const event = alarmEvent(alarm, change);
  if (!app.bus) {
    app.liveFeed.emit('event', { ...event, uniqueId: alarm.uniqueId, type: 'alarm' });
    return;
  }
  try {
    await app.bus.publish(alarmTopic(alarm), event);
  } catch (error) {
    app.log.warn({ err: error, alarmId: alarm.id, change }, 'could not publish an alarm change on MQTT');
  }
}
