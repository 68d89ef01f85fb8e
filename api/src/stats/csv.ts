import type { Cell, Table } from './table.ts';

// RFC 4180: a field with a comma, quote or line break is quoted, inner quotes doubled. A leading =, +, - or @
// would run as a formula when the file is opened in a spreadsheet, so such text gets a leading apostrophe.
function field(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The table as CSV with a UTF-8 byte-order mark, without which Excel reads Chinese titles as gibberish. */
export function tableToCsv(table: Table): string {
  const lines = [table.columns.map((c) => field(c.title)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => field(row[c.key] ?? null)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
