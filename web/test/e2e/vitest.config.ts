import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser tests on their own: `npm run -w @urbanlink/web e2e` (URBANLINK_SCREENSHOTS=dir saves the screens).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: { include: ['*.test.ts'], testTimeout: 120_000, hookTimeout: 240_000, pool: 'forks' },
});
