import type { Table } from './table.ts';

/**
 * A printable report: one self-contained HTML page (no scripts, no external files) with print styles, so
 * that the browser's Print (or Save as PDF) gives the paper copy a bureau files.
 */
export interface ReportSection {
  heading: string;
  paragraphs?: string[];
  table?: Table;
}

export interface Report {
  title: string;
  subtitle: string;
  sections: ReportSection[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' })[c]};`);
}

function tableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c.title)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${table.columns.map((c) => {
      const v = row[c.key] ?? null;
      return typeof v === 'number' ? `<td class="n">${v}</td>` : `<td>${escapeHtml(v ?? '—')}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#111}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #999}
.sub{color:#555}table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border:1px solid #aaa;padding:.25em .5em}
th{background:#eee;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}p{font-size:.9em}
@media print{body{margin:0}section{break-inside:avoid-page}h2{break-after:avoid}}`;

export function renderReport(report: Report): string {
  const sections = report.sections
    .map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>${(s.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${s.table ? tableHtml(s.table) : ''}</section>`)
    .join('\n');
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(report.title)}</h1><p class="sub">${escapeHtml(report.subtitle)}</p>
${sections}
</body></html>`;
}
