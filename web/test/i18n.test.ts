import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STRINGS } from '../src/i18n/strings.ts';
import { label, setLanguage, t } from '../src/i18n/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const srcDir = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('i18n', () => {
  it('has every string in both languages, non-empty, with the same placeholders', () => {
    for (const [key, entry] of Object.entries(STRINGS)) {
      expect(entry.en.trim(), key).not.toBe('');
      expect(entry.zh.trim(), key).not.toBe('');
      expect(placeholders(entry.zh), key).toEqual(placeholders(entry.en));
    }
  });

  it('translates Chinese strings, not English copies, where the text is a sentence', () => {
    const untranslated = Object.entries(STRINGS).filter(([, e]) => e.en === e.zh && /[a-z]{4,}/.test(e.en) && !/OpenStreetMap/.test(e.en));
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

  it('has a string for every key the views compose at run time', () => {
    const prefixes = new Set<string>();
    for (const file of sources(srcDir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bt\(`|label\(')(\w+)[.'`]/g)) prefixes.add(m[1]!);
    }
    const keys = Object.keys(STRINGS);
    for (const prefix of prefixes) expect(keys.some((k) => k.startsWith(`${prefix}.`)), prefix).toBe(true);
    for (const status of ['registered', 'accepted', 'dispatched', 'arrived', 'handled', 'verified', 'closed', 'returned', 'reopened', 'merged']) {
      expect(keys, status).toContain(`status.${status}`);
    }
    for (const shade of ['on_task', 'standby', 'unavailable', 'offline']) expect(keys).toContain(`shade.${shade}`);
    for (const state of ['queued', 'sent', 'acknowledged', 'failed', 'expired']) expect(keys).toContain(`command.${state}`);
  });

  it('switches language and fills placeholders', () => {
    setLanguage('en');
    expect(t('ticket.created', { number: 'T-1' })).toBe('Ticket T-1 registered');
    setLanguage('zh');
    expect(t('ticket.created', { number: 'T-1' })).toBe('工单 T-1 已登记');
    expect(label('status', 'closed')).toBe('结案');
    expect(label('status', 'no-such-state')).toBe('no-such-state');
  });
});
