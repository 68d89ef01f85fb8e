import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tableToCsv } from '../src/stats/csv.ts';
import { columnName, tableToXlsx } from '../src/stats/xlsx.ts';
import type { Table } from '../src/stats/table.ts';

const table: Table = {
  title: 'Tickets: by/category [test]',
  columns: [{ key: 'name', title: 'Name 名称' }, { key: 'n', title: 'Count 数量' }],
  rows: [{ name: 'a, "b"', n: 1.5 }, { name: '=HYPERLINK("x")', n: null }, { name: '-12', n: -12 }, { name: '<&>\u0001', n: 0 }],
};

/** The parts of a ZIP, read back through its central directory. */
function unzipParts(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const parts = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    parts.set(name, inflateRawSync(zip.subarray(dataStart, dataStart + size)).toString('utf8'));
    at += 46 + nameLength;
  }
  return parts;
}

describe('table exports', () => {
  it('writes RFC 4180 CSV with a BOM, and defuses text a spreadsheet would run as a formula', () => {
    expect(tableToCsv(table)).toBe('\uFEFFName 名称,Count 数量\r\n"a, ""b""",1.5\r\n"\'=HYPERLINK(""x"")",\r\n-12,-12\r\n<&>\u0001,0\r\n');
  });

  it('names spreadsheet columns A…Z, AA…ZZ, AAA', () => {
    expect([0, 25, 26, 51, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
  });

  it('writes a workbook whose sheet holds numbers as numbers and text escaped, under a legal sheet name', () => {
    const parts = unzipParts(tableToXlsx(table));
    expect([...parts.keys()]).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml']);
    expect(parts.get('xl/workbook.xml')).toContain('<sheet name="Tickets  by category  test " sheetId="1" r:id="rId1"/>');
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">Name 名称</t></is></c>');
    expect(sheet).toContain('<c r="B2"><v>1.5</v></c>');
    expect(sheet).toContain('<c r="B4"><v>-12</v></c>');
    expect(sheet).toContain('<t xml:space="preserve">&lt;&amp;&gt;</t>');
    expect(sheet).not.toContain('r="B3"');
  });
});
