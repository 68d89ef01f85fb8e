import { localParts } from './zoned-time.ts';

/**
 * Ticket numbers that can be read out on the phone: the local registration date and a daily sequence,
 * `20261128-0042`. The sequence itself comes from the database (one counter row per day), so numbers
 * stay unique across API processes.
 */
export function ticketDay(atMs: number, timeZone: string): string {
  return localParts(atMs, timeZone).date;
}

export function formatTicketNumber(day: string, sequence: number): string {
  return `${day.replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
}

const NUMBER_PATTERN = /\b(\d{8})-(\d{4,})\b/;

/** The ticket number quoted in a free text (an SMS or e-mail reply), or null. */
export function findTicketNumber(text: string): string | null {
  const match = NUMBER_PATTERN.exec(text);
  return match ? `${match[1]}-${match[2]}` : null;
}
