import type { AlarmRecord } from '@urbanlink/db';
import { eventTopic } from '../live/topics.ts';

export type AlarmChange = 'raised' | 'acknowledged' | 'assigned' | 'resolved';

/** The event published on `urbanlink/v1/devices/{uniqueId}/event` and pushed live for every alarm change. */
export function alarmEvent(alarm: AlarmRecord, change: AlarmChange): Record<string, unknown> {
  return { type: 'alarm', change, deviceId: alarm.deviceId, time: new Date().toISOString(), alarm };
}

export function alarmTopic(alarm: AlarmRecord): string {
  return eventTopic(alarm.uniqueId);
}
