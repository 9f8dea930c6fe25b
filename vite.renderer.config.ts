import react from '@vitejs/plugin-react';
import * as path from 'node:path';
import { defineConfig } from 'vite';

// The renderer's production build (src-renderer → dist/renderer): plain files, no inline scripts (the CSP forbids
// them). A build tool's config, so it lives outside src-renderer (which may import neither Node nor Electron).
export default defineConfig({
  root: path.resolve(__dirname, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
