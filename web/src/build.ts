import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('..', import.meta.url));

/** Absolute path of the built console; `urbanlink start` serves it at `/`. */
export const webDistDir = join(webDir, 'dist');

// Everything the bundle is made from: a change to any of these makes the dist stale.
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json'];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

async function isFresh(): Promise<boolean> {
  const built = await stat(join(webDistDir, 'index.html')).catch(() => undefined);
  if (!built) return false;
  const times = await Promise.all(SOURCES.map((name) => newestMtime(join(webDir, name))));
  return built.mtimeMs >= Math.max(...times);
}

async function build(log: (line: string) => void): Promise<void> {
  log('building the web console with Vite / 正在构建网页控制台…');
  const started = Date.now();
  const { build: viteBuild } = await import('vite');
  // Build beside the dist and swap it in with two renames, so a server already serving the old assets
  // never sees half a build.
  const staging = await mkdtemp(join(webDir, '.dist-'));
  const retired = `${staging}-old`;
  try {
    await viteBuild({
      configFile: join(webDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    await rename(webDistDir, retired).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, webDistDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(retired, { recursive: true, force: true });
  }
  log(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s / 网页控制台构建完成`);
}

const LOCK = join(webDir, '.dist-lock');
// A builder that died leaves its lock behind; no build takes this long.
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Runs `work` while holding a lock directory, so several processes starting at once (tests, a restart)
 * build once: the others wait, then find the dist fresh.
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

let pending: Promise<string> | undefined;

/**
 * Builds the console with Vite when `dist` is missing or older than its sources, then resolves to
 * `webDistDir`. Concurrent callers share a single build, in one process and across processes.
 */
export function ensureWebBuilt(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  pending ??= (async () => {
    if (!(await isFresh())) {
      await withBuildLock(async () => {
        if (!(await isFresh())) await build(log);
      });
    }
    return webDistDir;
  })().finally(() => {
    pending = undefined;
  });
  return pending;
}
