import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/urbanlink.mjs', import.meta.url));

function vectors(file: string): { hex: string; what: string }[] {
  const text = readFileSync(new URL(`../../../shared/vectors/${file}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .map(([, hex, what]) => ({ hex: hex!, what: what! }));
}

async function decode(protocol: string, args: string[], input?: string) {
  const child = run(process.execPath, [BIN, 'decode', '--protocol', protocol, ...args]);
  if (input !== undefined) child.child.stdin!.end(input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('urbanlink decode', () => {
  for (const [protocol, file] of [
    ['gt06', 'gt06.tsv'],
    ['jt808', 'jt808.tsv'],
  ] as const) {
    it(`prints every ${protocol} vector from standard input as one JSON line`, async () => {
      const rows = vectors(file);
      const result = await decode(protocol, [], rows.map((row) => row.hex).join('\n') + '\n');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines).toHaveLength(rows.length);
      for (const line of lines) {
        expect(line.protocol).toBe(protocol);
        expect(line.type).toMatch(/^0x[0-9a-f]{2,4}$/);
        expect(typeof line.serial).toBe('number');
      }
    });
  }

  it('decodes hex arguments, with the position in the contract shape', async () => {
    const result = await decode('gt06', ['78781f120b081d112e10cc027ac7eb0c46584900148f01cc00287d001fb8000373770d0a']);
    expect(result.code).toBe(0);
    const message = JSON.parse(result.stdout);
    expect(message).toMatchObject({ protocol: 'gt06', type: '0x12', serial: 3 });
    expect(message.position).toMatchObject({ fixTime: '2011-08-29T17:46:16.000Z', course: 143, valid: true });
    expect(message.position.lat).toBeCloseTo(23.1116683, 6);
    expect(message.position.lon).toBeCloseTo(114.409285, 6);
  });

  it('exits 1 naming a bad checksum', async () => {
    const result = await decode('gt06', ['78780d01012345678901234500018cde0d0a']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CRC mismatch');
  });

  it('exits 1 naming input that is not hex', async () => {
    const result = await decode('jt808', ['7e0002zz']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not hex');
  });

  it('exits 1 when no frame is found', async () => {
    const result = await decode('jt808', ['0102030405']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no frame found|incomplete frame/);
  });

  it('refuses an unknown protocol', async () => {
    const result = await decode('nmea', ['00']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--protocol must be gt06 or jt808');
  });
});
