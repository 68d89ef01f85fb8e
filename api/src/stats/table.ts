/**
 * Every statistic can be shown as a table: the JSON answer for charts, the same rows as CSV or XLSX for
 * spreadsheets, and in the printable report. Column titles carry both languages, as printed for operators.
 */
export type Cell = string | number | null;

export interface Column {
  key: string;
  title: string;
}

export interface Table {
  title: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
}

/** A rate as a percentage with one decimal, or null when there is nothing to divide by. */
export function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

/** Seconds as hours with two decimals, or null. */
export function hours(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds / 36) / 100;
}
