/**
 * The unresolved alarms the console shows, kept current from two sources that can cross: the list read from
 * `GET /api/alarms` (at start and after a reconnect) and the changes pushed over `/api/live`. A push that
 * arrives while a read is on its way is newer than the read, so the read does not undo it.
 */
import type { Alarm, AlarmState } from '../api/types.ts';

const STEP: Record<AlarmState, number> = { open: 0, acknowledged: 1, assigned: 2, resolved: 3 };

export class AlarmBook {
  private readonly alarms = new Map<number, { alarm: Alarm; seq: number }>();
  private seq = 0;

  /** The unresolved alarms, newest first. */
  list(): Alarm[] {
    return [...this.alarms.values()].map((entry) => entry.alarm).sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  }

  /** Marks the start of a read, for `replace`. */
  mark(): number {
    return this.seq;
  }

  /**
   * One alarm as the server now has it (a push, or a handling step's answer). Returns whether it is new here.
   * A step older than the one shown (a late duplicate) is ignored; a resolved alarm leaves the list.
   */
  apply(alarm: Alarm): boolean {
    const known = this.alarms.get(alarm.id);
    if (known && STEP[known.alarm.state] > STEP[alarm.state]) return false;
    this.seq += 1;
    if (alarm.state === 'resolved') this.alarms.delete(alarm.id);
    else this.alarms.set(alarm.id, { alarm, seq: this.seq });
    return !known && alarm.state !== 'resolved';
  }

  /**
   * The unresolved alarms as read since `mark`: what the read lacks was resolved meanwhile, unless a push
   * after the mark brought it. Returns the ids that are new here.
   */
  replace(unresolved: readonly Alarm[], mark: number): number[] {
    const read = new Set(unresolved.map((a) => a.id));
    for (const [id, entry] of this.alarms) if (!read.has(id) && entry.seq <= mark) this.alarms.delete(id);
    const fresh: number[] = [];
    for (const alarm of unresolved) {
      const known = this.alarms.get(alarm.id);
      if (known && known.seq > mark) continue;
      if (this.apply(alarm)) fresh.push(alarm.id);
    }
    return fresh;
  }
}
