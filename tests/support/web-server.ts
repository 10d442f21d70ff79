/**
 * Browser mode's server in-process over a real notebook, on a free 127.0.0.1 port, with a one-line app shell made in
 * `dir`: what the unit tests of its routes start from.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { createWebServer, type WebServerOptions } from '../../electron/web/server';

export interface ServedNotebook {
  server: Server;
  port: number;
  /** The shell's folder (`dir`/renderer), for another server the test starts beside. */
  rendererDir: string;
  close(): Promise<void>;
}

export async function serveNotebook(dir: string, options: Omit<WebServerOptions, 'rendererDir'>): Promise<ServedNotebook> {
  const rendererDir = path.join(dir, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Gloss</title>');
  const server = createWebServer({ ...options, rendererDir });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as { port: number }).port,
    rendererDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
