// The browser console (MapLibre, Vite). Node side: where the built assets are, and how to (re)build them.
export { webDistDir, ensureWebBuilt } from './build.ts';
