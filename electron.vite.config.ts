import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// electron-vite looks under src/ by default; Gloss's layout (DESIGN.md) names its entries here.
// ESM-only packages are bundled into the CommonJS main output; the rest load from node_modules at run time.
const ESM_ONLY = ['lowdb', 'steno', 'approx-string-match'];

/**
 * pdf.js loads its standard fonts, CMaps and image decoders (wasm) by URL at run time. They are copied from pdfjs-dist
 * into the renderer's output under pdfjs/, so both hosts serve them from the app's own origin (/pdfjs/...) and the CSP
 * needs nothing remote; the dev server answers the same paths straight from node_modules.
 */
const PDFJS_ASSET_DIRS = ['standard_fonts', 'cmaps', 'wasm'];
const pdfjsDist = resolve(__dirname, 'node_modules/pdfjs-dist');

function pdfjsAssets(): Plugin {
  return {
    name: 'gloss-pdfjs-assets',
    writeBundle(options) {
      const outDir = options.dir ?? resolve(__dirname, 'out/renderer');
      for (const dir of PDFJS_ASSET_DIRS) cpSync(join(pdfjsDist, dir), join(outDir, 'pdfjs', dir), { recursive: true });
    },
    configureServer(server) {
      server.middlewares.use('/pdfjs', (req, res, next) => {
        const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^([/\\])+/, '');
        const [dir] = path.split(/[/\\]/);
        const file = join(pdfjsDist, path);
        if (!PDFJS_ASSET_DIRS.includes(dir) || !file.startsWith(pdfjsDist) || !existsSync(file) || !statSync(file).isFile()) return next();
        createReadStream(file).pipe(res);
      });
    },
  };
}

/**
 * The app's chunk (mount.tsx: React and every component) is imported by the page's small first script once it has
 * started the start-up route's requests (main.tsx); a modulepreload in the page's head has the browser fetch and
 * compile it meanwhile, so the split costs no round trip.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'gloss-preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunks = Object.values(context.bundle ?? {}).filter((c) => c.type === 'chunk');
        const app = chunks.find((c) => c.name === 'mount');
        if (!app || app.type !== 'chunk') return [];
        const entry = chunks.find((c) => c.type === 'chunk' && c.isEntry)?.fileName;
        return [app.fileName, ...app.imports.filter((f) => f !== entry)].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: '', href: `./${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

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
    plugins: [react(), pdfjsAssets(), preloadAppChunk()],
    build: {
      // Minified: the page evaluates ~1 MB less source on every open, most of it before a PDF's first page is drawn
      // (bench/RESULTS.md, "PDFs").
      minify: true,
      rollupOptions: {
        input: resolve(__dirname, 'renderer/index.html'),
        output: {
          // pdf.js's worker is imported as an asset (?url) named .mjs; both hosts serve .js as JavaScript (a module
          // worker must be), so the built copy is named .js.
          assetFileNames: (asset) => (asset.names?.[0] ?? '').endsWith('.mjs') ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]',
        },
      },
    },
  },
});
