import { defineConfig } from 'vitest/config';

// One vitest run over every package; each package keeps its tests in `test/` beside `src/`.
export default defineConfig({
  test: {
    include: ['{protocols,db,ingest,api,web,cli}/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
