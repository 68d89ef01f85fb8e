#!/usr/bin/env node
// The `urbanlink` command. The sources are TypeScript; tsx compiles them on load, so there is no build step.
import { spawn } from 'node:child_process';
import { register } from 'tsx/esm/api';

// `urbanlink start` runs with a larger young generation: the server's garbage (live positions, HTTP
// requests) is short-lived, and with 32 MB semi-spaces V8 scavenges about half as often as with its
// default, which is what the nearest-vehicle latency tail is made of (benchmarks/RESULTS.md). V8 reads the
// size only when the process starts, so `start` runs in a child process given the flag, unless the flag
// is already set (then this process is that child, or the user chose a size in NODE_OPTIONS).
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=32';
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'];

function youngGenerationSet() {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith('--max-semi-space-size'));
}

function runStartInChild() {
  const child = spawn(process.execPath, [...process.execArgv, YOUNG_GENERATION_FLAG, ...process.argv.slice(1)], {
    // The IPC channel only tells the child when this process is gone (see followLauncher).
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, URBANLINK_LAUNCHED: '1' },
  });
  // A signal sent to this process alone (docker stop, kill PID) is passed on; the child stops gracefully.
  for (const signal of STOP_SIGNALS) process.on(signal, () => child.kill(signal));
  child.once('error', (error) => {
    process.stderr.write(`urbanlink: could not start the server process: ${error.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
}

/**
 * In the launched child. A stop signal may arrive twice (from the terminal or the service manager, and
 * passed on by the launcher): the server's own handler takes the first and then stops listening, so the
 * second would kill the process in the middle of its flush; listening here makes it harmless. A signal
 * before the server listens stops the process at once, as it would without the launcher. And when the
 * launcher dies without passing anything on (SIGKILL), the server dies the same way rather than living
 * on unseen with the ports and the data directory.
 */
function followLauncher() {
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) stopping = true;
      else if (!stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

if (process.argv[2] === 'start' && !youngGenerationSet()) {
  runStartInChild();
} else {
  if (process.env.URBANLINK_LAUNCHED) followLauncher();
  // `urbanlink decode … | head` closes stdout early; that is the reader's choice, not an error.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  register();
  const { main } = await import('../src/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
