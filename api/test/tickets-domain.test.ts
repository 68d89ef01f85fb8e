import { describe, expect, it } from 'vitest';
import { checkTransition, nextStates } from '../src/tickets/states.ts';
import { addWorkingHours, workingMsBetween, DEFAULT_CALENDAR, type WorkCalendar } from '../src/tickets/working-time.ts';
import { deadlinesFor, isOverdue } from '../src/tickets/deadlines.ts';
import { formatTicketNumber, findTicketNumber, ticketDay } from '../src/tickets/numbering.ts';
import { findDuplicates } from '../src/tickets/duplicates.ts';
import { sniffMediaType } from '../src/tickets/media-types.ts';
import { maskEmail, maskName, maskPhone } from '../src/tickets/masking.ts';
import { dispatchText } from '../src/tickets/dispatch-text.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('ticket state machine', () => {
  it('walks the whole workflow with the roles that own each step', () => {
    expect(checkTransition('registered', 'accepted', 'agent')).toEqual({ ok: true });
    expect(checkTransition('accepted', 'dispatched', 'dispatcher')).toEqual({ ok: true });
    expect(checkTransition('dispatched', 'arrived', 'unit_member')).toEqual({ ok: true });
    expect(checkTransition('arrived', 'handled', 'unit_member')).toEqual({ ok: true });
    expect(checkTransition('handled', 'verified', 'dispatcher')).toEqual({ ok: true });
    expect(checkTransition('verified', 'closed', 'dispatcher')).toEqual({ ok: true });
    expect(checkTransition('closed', 'reopened', 'agent')).toEqual({ ok: true });
  });

  it('refuses illegal steps with a reason that names the states', () => {
    const skip = checkTransition('registered', 'closed', 'admin');
    expect(skip.ok).toBe(false);
    expect(!skip.ok && skip.reason).toContain("'registered'");
    const closed = checkTransition('closed', 'handled', 'admin');
    expect(!closed.ok && closed.reason).toMatch(/closed; reopen it/);
    const merged = checkTransition('merged', 'accepted', 'admin');
    expect(!merged.ok && merged.reason).toMatch(/merged into another/);
  });

  it('refuses a role that does not own the step', () => {
    const result = checkTransition('handled', 'verified', 'unit_member');
    expect(!result.ok && result.reason).toMatch(/role 'unit_member' may not/);
    expect(checkTransition('registered', 'accepted', 'auditor').ok).toBe(false);
  });

  it('lists the next steps for a console', () => {
    expect(nextStates('dispatched', 'unit_member').sort()).toEqual(['arrived', 'handled', 'returned']);
  });
});

describe('working hours', () => {
  const calendar: WorkCalendar = { ...DEFAULT_CALENDAR, holidays: ['2026-10-01', '2026-10-02'], extraWorkdays: ['2026-10-10'] };

  it('counts only working periods of working days', () => {
    // Friday 2026-11-27 17:00 Shanghai = 09:00Z; half an hour left that day, then Monday from 08:30.
    const due = addWorkingHours(at('2026-11-27T09:00:00Z'), 2, calendar);
    expect(iso(due)).toBe('2026-11-30T02:00:00.000Z'); // Monday 10:00 local
  });

  it('skips the lunch break', () => {
    const due = addWorkingHours(at('2026-11-30T03:30:00Z'), 1, calendar); // 11:30 local
    expect(iso(due)).toBe('2026-11-30T06:00:00.000Z'); // 14:00 local
  });

  it('skips holidays and works the exchanged weekend day', () => {
    // Wednesday 2026-09-30 17:30 local: the next two days are holidays, then Saturday 10-03 is not worked.
    const due = addWorkingHours(at('2026-09-30T09:30:00Z'), 1, calendar);
    expect(iso(due)).toBe('2026-10-05T01:30:00.000Z');
    const exchanged = addWorkingHours(at('2026-10-09T09:30:00Z'), 1, calendar); // Friday evening
    expect(iso(exchanged)).toBe('2026-10-10T01:30:00.000Z'); // the worked Saturday
  });

  it('keeps local working hours across a daylight-saving change', () => {
    const berlin: WorkCalendar = { ...DEFAULT_CALENDAR, timeZone: 'Europe/Berlin', hours: [{ start: '09:00', end: '17:00' }] };
    // Friday 2026-03-27 16:00 CET (15:00Z); summer time starts on Sunday, so Monday 09:00 is 07:00Z.
    expect(iso(addWorkingHours(at('2026-03-27T15:00:00Z'), 2, berlin))).toBe('2026-03-30T08:00:00.000Z');
  });

  it('measures working time between two instants', () => {
    const ms = workingMsBetween(at('2026-11-27T09:00:00Z'), at('2026-11-30T02:00:00Z'), calendar);
    expect(ms).toBe(2 * 3_600_000);
  });

  it('gives per-stage and closing deadlines and flags overdue tickets', () => {
    const start = at('2026-11-30T00:30:00Z'); // Monday 08:30
    const d = deadlinesFor('registered', start, { accepted: 1, closed: 16 }, calendar);
    expect(d.stage).toBe('accepted');
    expect(iso(d.stageDueAtMs!)).toBe('2026-11-30T01:30:00.000Z');
    expect(iso(d.dueAtMs!)).toBe('2026-12-02T01:30:00.000Z'); // 7.5 h a day: Monday, Tuesday, 1 h Wednesday
    expect(isOverdue(d, at('2026-11-30T01:00:00Z'))).toBe(false);
    expect(isOverdue(d, at('2026-11-30T01:31:00Z'))).toBe(true);
    expect(deadlinesFor('closed', start, { closed: 16 }, calendar).dueAtMs).toBeNull();
  });
});

describe('ticket numbers', () => {
  it('use the local date and a padded sequence, and are found in replies', () => {
    const day = ticketDay(at('2026-11-28T17:00:00Z'), 'Asia/Shanghai');
    expect(day).toBe('2026-11-29');
    expect(formatTicketNumber(day, 42)).toBe('20261129-0042');
    expect(findTicketNumber('回复 20261129-0042 已处理')).toBe('20261129-0042');
    expect(findTicketNumber('no number here 123')).toBeNull();
  });
});

describe('duplicates', () => {
  it('offers open tickets of the same category nearby and recent, nearest first', () => {
    const now = at('2026-11-28T10:00:00Z');
    const base = { number: 'n', categoryId: 1, registeredAtMs: now - 3_600_000 };
    const offers = findDuplicates({ categoryId: 1, lat: 31.23, lon: 121.47, registeredAtMs: now }, [
      { ...base, id: 1, lat: 31.2309, lon: 121.47 }, // ~100 m
      { ...base, id: 2, lat: 31.2301, lon: 121.47 }, // ~11 m
      { ...base, id: 3, lat: 31.25, lon: 121.47 }, // 2 km
      { ...base, id: 4, categoryId: 2, lat: 31.23, lon: 121.47 },
      { ...base, id: 5, lat: 31.23, lon: 121.47, registeredAtMs: now - 100 * 3_600_000 },
    ], { radiusMeters: 200, periodHours: 72 });
    expect(offers.map((o) => o.id)).toEqual([2, 1]);
    expect(offers[1]!.distanceMeters).toBeGreaterThan(90);
  });
});

describe('uploads, masking, dispatch text', () => {
  it('recognise content by magic bytes, not by name', () => {
    expect(sniffMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBe('audio/wav');
    expect(sniffMediaType(Buffer.from('ID3\x04'))).toBe('audio/mpeg');
    expect(sniffMediaType(Buffer.from('<html>'))).toBeNull();
  });

  it('mask reporters for people who should not call them', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskEmail('wang@example.cn')).toBe('w***@example.cn');
  });

  it('write a short order for the terminal display', () => {
    const text = dispatchText({ number: '20261128-0001', category: '占道经营', address: '人民路1号', priority: 'urgent' });
    expect(text).toBe('[紧急]派遣 工单20261128-0001 占道经营 人民路1号');
    expect([...dispatchText({ number: 'x', category: 'y', address: '长'.repeat(300), priority: 'normal' })]).toHaveLength(100);
  });
});
