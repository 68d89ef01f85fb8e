import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../src/background-threads.ts', import.meta.url));
const THREADS = fileURLToPath(new URL('./threads.ts', import.meta.url));

interface Outcome {
  /** What the last lowerBackgroundThreads call returned. */
  lowered: number;
  /** The nice value of the event loop's thread, and of each other thread. */
  main: number;
  others: number[];
}

/** Runs the calls in a process of their own (the test runner's threads keep their priority), then reads its threads. */
function inChild(calls: string): Outcome {
  const script = `
    import { lowerBackgroundThreads } from ${JSON.stringify(MODULE)};
    import { threadNiceValues } from ${JSON.stringify(THREADS)};
    let lowered;
    ${calls}
    const nice = threadNiceValues(process.pid);
    const others = Object.entries(nice).filter(([thread]) => Number(thread) !== process.pid).map(([, value]) => value);
    process.stdout.write(JSON.stringify({ lowered, main: nice[process.pid], others }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as Outcome;
}

describe.skipIf(process.platform !== 'linux')('lowerBackgroundThreads', () => {
  // A child starts at this process's nice value: 0 unless the tests themselves run under `nice`.
  const inherited = getPriority();

  it('lowers every thread of the process but the event loop, libuv pool included', () => {
    const outcome = inChild('lowered = await lowerBackgroundThreads(7);');
    expect(outcome.main).toBe(inherited);
    // V8's platform workers and libuv's pool of four at least.
    expect(outcome.others.length).toBeGreaterThanOrEqual(8);
    expect(outcome.lowered).toBe(inherited < 7 ? outcome.others.length : 0);
    expect(outcome.others.every((nice) => nice === Math.max(inherited, 7))).toBe(true);
  });

  it('never raises a priority: threads already lower are left as they are', () => {
    const outcome = inChild('await lowerBackgroundThreads(19); lowered = await lowerBackgroundThreads(7);');
    expect(outcome.lowered).toBe(0);
    expect(outcome.others.every((nice) => nice === 19)).toBe(true);
  });

  it('leaves every thread as it is at 0', () => {
    const outcome = inChild('lowered = await lowerBackgroundThreads(0);');
    expect(outcome.lowered).toBe(0);
    expect(outcome.others.every((nice) => nice === inherited)).toBe(true);
  });
});
