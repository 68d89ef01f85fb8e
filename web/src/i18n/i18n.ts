/**
 * Chinese and English, switchable at run time. `t(key, params)` fills `{name}` placeholders; the table in
 * strings.ts holds both languages side by side, so a string cannot be added in one language only.
 */
import { STRINGS, type StringKey } from './strings.ts';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

let language: Language = 'zh';
const listeners = new Set<(language: Language) => void>();

export function currentLanguage(): Language {
  return language;
}

export function setLanguage(next: Language): void {
  if (next === language) return;
  language = next;
  listeners.forEach((listener) => listener(next));
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: StringKey, params?: Record<string, string | number>): string {
  const text: string = STRINGS[key][language];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The translated label of a value from a closed set (a state, a channel), falling back to the raw value. */
export function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in STRINGS ? t(key as StringKey) : value;
}
