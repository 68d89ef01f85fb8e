import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWebBuilt, webDistDir } from '../src/index.ts';

describe('ensureWebBuilt', () => {
  it('builds the console once, keeps maplibre out of the first paint, and reuses a fresh build', async () => {
    expect(isAbsolute(webDistDir)).toBe(true);
    const lines: string[] = [];
    expect(await ensureWebBuilt((line) => lines.push(line))).toBe(webDistDir);
    const html = await readFile(join(webDistDir, 'index.html'), 'utf8');
    const entry = /<script type="module" crossorigin src="\/assets\/([^"]+\.js)">/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const entryCode = await readFile(join(webDistDir, 'assets', entry!), 'utf8');
    // The map library arrives in its own chunk after the shell has painted.
    expect(entryCode).not.toContain('maplibre');
    const assets = await readdir(join(webDistDir, 'assets'));
    expect(assets.some((name) => name.startsWith('maplibre-gl-worker'))).toBe(true);

    const builtAt = (await stat(join(webDistDir, 'index.html'))).mtimeMs;
    const again: string[] = [];
    await ensureWebBuilt((line) => again.push(line));
    expect(again).toEqual([]);
    expect((await stat(join(webDistDir, 'index.html'))).mtimeMs).toBe(builtAt);
  }, 180_000);
});
