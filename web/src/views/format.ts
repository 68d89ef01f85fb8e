import { currentLanguage } from '../i18n/i18n.ts';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(currentLanguage() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

/** `datetime-local` input value for a moment, in the browser's zone. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** ISO 8601 with a zone from a `datetime-local` value, as the API requires. */
export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}
