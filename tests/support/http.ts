/**
 * One HTTP request to browser mode on 127.0.0.1 (node:http, so the test sets any header, Host included), its reply
 * read whole: status, headers, the body as text and, when it is JSON, parsed. A header given as undefined is not sent.
 */
import { request } from 'node:http';

export interface HttpReply {
  status: number;
  headers: Record<string, unknown>;
  text: string;
  /** Parsed when the body is JSON: each test reads the shape it expects. */
  json: any;
}

export function sendHttp(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string | undefined>; body?: string | Buffer },
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(Object.entries({ Host: `127.0.0.1:${port}`, ...options.headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
