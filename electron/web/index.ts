/**
 * Browser mode entry: `node out/main/web.js [--data-dir DIR] [--port N] [--token T] [--no-seed]`.
 * Opens the notebook (the same folder the desktop app uses unless told otherwise), serves the API and the renderer on
 * 127.0.0.1, and prints the URL with its token once it accepts requests.
 * `--allow-loopback-import` is FOR TESTS ONLY: URL imports may then fetch from 127.0.0.1/::1 (the e2e suite's local
 * test sites), which Gloss otherwise refuses like every address on this computer or the local network.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Notebook } from '../notebook/notebook';
import { resolveDataDir } from '../notebook/paths';
import { createWebServer } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: process.env.GLOSS_PORT ?? '0' },
      token: { type: 'string' },
      'no-seed': { type: 'boolean', default: false },
      'allow-loopback-import': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
  const token = values.token ?? randomBytes(24).toString('base64url');
  const dataDir = resolveDataDir(values['data-dir']);
  // Built layout: out/main/web.js, out/renderer/, resources/ at the project root.
  const rendererDir = path.resolve(__dirname, '../renderer');
  const resourcesDir = path.resolve(__dirname, '../../resources');

  const notebook = await Notebook.open(dataDir, {
    owner: `Gloss browser mode (port ${port || 'auto'})`,
    seedArticlePath: values['no-seed'] ? undefined : path.join(resourcesDir, 'sample-article.txt'),
    allowLoopbackImport: values['allow-loopback-import'],
  });
  const server = createWebServer({
    api: notebook,
    subscribe: (listener) => notebook.subscribe(listener),
    token,
    rendererDir,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`Gloss browser mode: notebook ${dataDir}`);
  // The token rides in the fragment: a browser never sends it to a server (no log, no Referer holds it); the page takes
  // it from there and sends it as an Authorization header.
  console.log(`Gloss is ready at http://127.0.0.1:${actualPort}/#token=${encodeURIComponent(token)}`);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    server.closeAllConnections();
    server.close();
    void notebook.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`gloss: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
