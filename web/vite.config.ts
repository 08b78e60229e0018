// Builds the dashboard into dist/dashboard/, which `engram serve` serves at /. Hashed file names under
// assets/ let the server cache them for a year. No public/ folder, no inline scripts (the CSP forbids them).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard/', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // Small icons stay files rather than data: URLs (the CSP allows both; files cache better).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
});
