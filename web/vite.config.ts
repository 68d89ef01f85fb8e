import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The dev server talks to a running `urbanlink start`; built assets are served by it directly.
const target = process.env.URBANLINK_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1400,
  },
  server: {
    proxy: {
      '/api': { target, ws: true },
      '/open311': { target },
    },
  },
});
