/**
 * Runs map-10k.html in Debian's chromium (headless, software WebGL) through Vite's dev server and prints
 * frame rate, 95th-percentile frame time and main-thread push cost: ours (diffs) against the whole-collection
 * baseline, measured in the same run.
 *
 *   npx tsx web/bench/map-10k.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({ configFile: join(webDir, 'vite.config.ts'), server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
await server.listen();
const address = server.httpServer!.address();
const port = typeof address === 'object' && address ? address.port : 0;
const profile = await mkdtemp(join(tmpdir(), 'urbanlink-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  viewport: { width: 1366, height: 768 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  for (const tickMs of [1_000, 100]) {
  await page.goto(`http://127.0.0.1:${port}/bench/map-10k.html?tick=${tickMs}`);
  await page.waitForFunction(() => (globalThis as { benchResult?: unknown }).benchResult !== undefined, null, { timeout: 120_000 });
  const result = (await page.evaluate(() => (globalThis as { benchResult?: unknown }).benchResult)) as
    | { ours: Record<string, number>; baseline: Record<string, number> }
    | { error: string };
  if ('error' in result) throw new Error(result.error);
  const line = (name: string, r: Record<string, number>) =>
    `${name.padEnd(34)} ${r.fps!.toFixed(1).padStart(6)} fps   p95 frame ${r.p95FrameMs!.toFixed(0).padStart(5)} ms   push ${r.pushMsPerTick!.toFixed(2).padStart(7)} ms/tick`;
  console.log(`10 000 vehicles, 1 000 moved every ${tickMs} ms, 1366×768, headless chromium (software WebGL)`);
  console.log(line('ours: updateData diffs, coalesced', result.ours));
  console.log(line('baseline: setData whole collection', result.baseline));
  console.log(
    `ratio: ${(result.ours.fps! / result.baseline.fps!).toFixed(2)}× the frame rate, ` +
      `${(result.baseline.pushMsPerTick! / result.ours.pushMsPerTick!).toFixed(1)}× less main-thread push time`,
  );
  }
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
  await server.close();
}
