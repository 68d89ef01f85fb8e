import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmState } from '../src/api/types.ts';
import { AlarmBook } from '../src/live/alarm-book.ts';

const alarm = (id: number, state: AlarmState = 'open', minute = id): Alarm => ({
  id,
  deviceId: 1,
  unitId: 1,
  kind: 'sos',
  occurredAt: `2026-11-28T09:${String(minute).padStart(2, '0')}:00Z`,
  lat: null,
  lon: null,
  state,
});

describe('the alarm book behind the alarm panel', () => {
  it('adds raised alarms newest first, moves them a step and drops resolved ones', () => {
    const book = new AlarmBook();
    expect(book.apply(alarm(1))).toBe(true);
    expect(book.apply(alarm(2))).toBe(true);
    expect(book.list().map((a) => a.id)).toEqual([2, 1]);
    expect(book.apply(alarm(1, 'acknowledged'))).toBe(false);
    expect(book.list().find((a) => a.id === 1)!.state).toBe('acknowledged');
    // A late duplicate of an earlier step changes nothing.
    book.apply(alarm(1, 'open'));
    expect(book.list().find((a) => a.id === 1)!.state).toBe('acknowledged');
    book.apply(alarm(1, 'resolved'));
    expect(book.list().map((a) => a.id)).toEqual([2]);
  });

  it('takes a read as the truth for what was not pushed since the read began', () => {
    const book = new AlarmBook();
    expect(book.replace([alarm(1), alarm(2)], book.mark())).toEqual([1, 2]);
    const mark = book.mark();
    // While the read is on its way: alarm 3 is raised and alarm 2 acknowledged, both pushed.
    book.apply(alarm(3));
    book.apply(alarm(2, 'acknowledged'));
    // The read predates both pushes; alarm 1 was resolved by another dispatcher without a push reaching us.
    const fresh = book.replace([alarm(2, 'open'), alarm(4)], mark);
    expect(fresh).toEqual([4]);
    expect(book.list().map((a) => [a.id, a.state])).toEqual([
      [4, 'open'],
      [3, 'open'],
      [2, 'acknowledged'],
    ]);
  });
});
