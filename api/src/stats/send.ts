import type { FastifyReply } from 'fastify';
import { tableToCsv } from './csv.ts';
import type { Table } from './table.ts';
import { tableToXlsx } from './xlsx.ts';

export const FORMATS = ['json', 'csv', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The statistic as JSON, or its table as a CSV or XLSX download named `<name>.<format>`. */
export function sendStatistic<T>(reply: FastifyReply, format: Format | undefined, data: T, toTable: (data: T) => Table, name: string): T | FastifyReply {
  if (!format || format === 'json') return data;
  const disposition = `attachment; filename="${name}.${format}"`;
  if (format === 'csv') return reply.header('content-disposition', disposition).type('text/csv; charset=utf-8').send(tableToCsv(toTable(data)));
  return reply.header('content-disposition', disposition).type(XLSX_TYPE).send(tableToXlsx(toTable(data)));
}
