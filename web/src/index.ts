// The browser console (MapLibre, Vite).
export {};
