import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// electron-vite looks under src/ by default; Gloss's layout (DESIGN.md) names its entries here.
// ESM-only packages are bundled into the CommonJS main output; the rest load from node_modules at run time.
const ESM_ONLY = ['lowdb', 'steno', 'approx-string-match'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: ESM_ONLY },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // Browser mode and the command line run under plain `node`, sharing the notebook core with the app.
          web: resolve(__dirname, 'electron/web/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          // Parsers of untrusted bytes, annotation anchoring and templates run in this worker (notebook/workers/):
          // out/main/notebook-worker.js, found beside the bundle at run time by all three hosts.
          'notebook-worker': resolve(__dirname, 'electron/notebook/workers/entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      rollupOptions: {
        input: resolve(__dirname, 'renderer/index.html'),
      },
    },
  },
});
