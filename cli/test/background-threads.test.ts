import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { threadNiceValues } from './threads.ts';

const MODULE = fileURLToPath(new URL('../src/background-threads.ts', import.meta.url));

describe.skipIf(process.platform !== 'linux')('lowerBackgroundThreads', () => {
  it('lowers every thread of the process but the event loop, libuv pool included', () => {
    // In a process of its own: the test runner's threads keep their priority.
    const script = `
      import { lowerBackgroundThreads } from ${JSON.stringify(MODULE)};
      import { threadNiceValues } from ${JSON.stringify(fileURLToPath(new URL('./threads.ts', import.meta.url)))};
      const lowered = await lowerBackgroundThreads(7);
      process.stdout.write(JSON.stringify({ lowered, pid: process.pid, nice: threadNiceValues(process.pid) }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as {
      lowered: number;
      pid: number;
      nice: Record<string, number>;
    };
    const others = Object.entries(out.nice).filter(([thread]) => Number(thread) !== out.pid);
    expect(out.nice[out.pid]).toBe(0);
    // V8's platform workers and libuv's pool of four at least.
    expect(others.length).toBeGreaterThanOrEqual(8);
    expect(out.lowered).toBe(others.length);
    expect(others.every(([, nice]) => nice === 7)).toBe(true);
  });

  it('leaves every thread as it is at 0', () => {
    const script = `
      import { lowerBackgroundThreads } from ${JSON.stringify(MODULE)};
      process.stdout.write(String(await lowerBackgroundThreads(0)));`;
    expect(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })).toBe('0');
  });
});
