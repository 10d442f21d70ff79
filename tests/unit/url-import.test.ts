/**
 * URL import against real sockets (issue 13 item 5, issue 12 item 11): which addresses are refused, that the refusal
 * comes before any connection, that every redirect hop is checked, that the connection goes to the address that was
 * checked, and that each failure is said in plain words.
 *
 * No packet leaves this machine. Every server here listens on 127.0.0.x; the non-loopback addresses (169.254.169.254,
 * 10.x, a made-up public name) are only ever named, and `allowLoopbackOnly` stops any socket this process would open to
 * anything but loopback, so even a broken fetchPage could not reach them. The per-hop test needs a first hop Gloss
 * believes is public: the resolver seam maps `public.example` to 127.0.0.2, and `allowPrivateRanges` lets 127.0.0.2
 * (and only it) through, so a redirect to 127.0.0.1 — still loopback, still refused — tests the check on the next hop.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GlossError } from '../../electron/notebook/errors';
import { isAllowedAddress, LOOPBACK_RANGES, parseAddress } from '../../electron/notebook/import/address-policy';
import { describeNetworkFailure } from '../../electron/notebook/import/fetch-errors';
import { fetchPage, type FetchOptions, type HostResolver } from '../../electron/notebook/import/url';
import { allowLoopbackOnly, type LoopbackOnly } from '../support/loopback-only';

const PAGE = `<!doctype html><html><head><title>Tides</title></head><body><article><h1>Tides</h1>${'<p>The tide comes in twice a day and goes out twice a day, pulled by the moon.</p>'.repeat(5)}</article></body></html>`;

async function refusal(p: Promise<unknown>): Promise<GlossError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').toBeInstanceOf(GlossError);
  return err as GlossError;
}

/** A server that counts TCP connections (not just requests): a refused import must not even connect. */
interface Site {
  base: string;
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function listen(server: net.Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function startSite(host: string, handler: http.RequestListener = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)): Promise<Site> {
  const site: Partial<Site> = { connections: 0, requests: [] };
  const server = http.createServer((req, res) => {
    site.requests!.push(req.url ?? '');
    handler(req, res);
  });
  server.on('connection', () => (site.connections! += 1));
  const port = await listen(server, host);
  return Object.assign(site, {
    port,
    base: `http://${host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  }) as Site;
}

let guard: LoopbackOnly;
beforeAll(() => {
  guard = allowLoopbackOnly();
});
afterAll(() => guard.restore());
afterEach(() => {
  // Nothing in this file may ever have tried to leave loopback.
  expect(guard.blocked).toEqual([]);
});

describe('the loopback-only guard itself', () => {
  it('stops a connection to a non-loopback address (0.0.0.0 here, which stays on this machine if the guard fails)', async () => {
    const site = await startSite('127.0.0.1');
    try {
      const socket = net.connect({ host: '0.0.0.0', port: site.port });
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
      expect(error.code).toBe('ETESTGUARD');
      expect(guard.blocked.splice(0)).toEqual([`0.0.0.0:${site.port}`]);
      expect(site.connections).toBe(0);
    } finally {
      await site.close();
    }
  });
});

describe('address classification (ipaddr.js ranges)', () => {
  const refused = [
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '0.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '100.127.255.255', '224.0.0.1', '239.255.255.250', '255.255.255.255', '192.0.2.1', '198.51.100.7', '203.0.113.9',
    '198.18.0.1', '240.0.0.1', '192.0.0.8',
    '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'fec0::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '::127.0.0.1',
    '::ffff:0:127.0.0.1', '64:ff9b::a00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', '2001::1', '2001:db8::1', '100::1', '5f00::1',
  ];
  const allowed = ['8.8.8.8', '93.184.216.34', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001::1', '64:ff9b::808:808'];
  it.each(refused)('refuses %s', (a) => expect(isAllowedAddress(parseAddress(a)!)).toBe(false));
  it.each(allowed)('allows %s', (a) => expect(isAllowedAddress(parseAddress(a)!)).toBe(true));
  it('the tests-only loopback allowance lets loopback through and nothing else', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) expect(isAllowedAddress(parseAddress(a)!, LOOPBACK_RANGES)).toBe(true);
    for (const a of ['10.0.0.1', '169.254.169.254', '0.0.0.0', 'fe80::1', '192.168.0.1']) expect(isAllowedAddress(parseAddress(a)!, LOOPBACK_RANGES)).toBe(false);
  });
});

describe('SSRF: addresses on this computer and the local network are refused before any connection', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite('127.0.0.1');
  });
  afterAll(() => site.close());

  // Every way the security review wrote 127.0.0.1, plus IPv6 loopback and unspecified; all served by `site` if fetched.
  const loopbackForms: [string, string][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', '127.0.0.1|::1'],
    ['0.0.0.0', '0.0.0.0'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.0.2', '127.0.0.2'],
    ['[::ffff:127.0.0.1]', '::ffff:127.0.0.1'],
    ['[::1]', '::1'],
    ['[::]', '::'],
  ];
  it.each(loopbackForms)('http://%s:PORT/ is refused, naming the address, and the server sees no connection', async (host, shown) => {
    const before = guard.attempts.length;
    const err = await refusal(fetchPage(`http://${host}:${site.port}/page`));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(new RegExp(`Gloss does not import from addresses on this computer or your local network \\((?:${shown.replace(/\./g, '\\.')})\\)\\.$`));
    expect(site.connections).toBe(0);
    expect(guard.attempts.slice(before)).toEqual([]);
  });

  it('the same page is fetched when the tests-only loopback allowance is given (the refusal above is the address check)', async () => {
    const page = await fetchPage(`http://127.0.0.1:${site.port}/page`, { allowPrivateRanges: LOOPBACK_RANGES });
    expect(page.kind).toBe('html');
    expect(site.connections).toBe(1);
  });

  const elsewhere = [
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://100.64.0.1/',
    'https://169.254.169.254/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://198.51.100.7/',
  ];
  it.each(elsewhere)('%s is refused by the classification, before any lookup or socket', async (url) => {
    const before = guard.attempts.length;
    const resolver: HostResolver = async () => {
      throw new Error('an IP literal must not be resolved');
    };
    const err = await refusal(fetchPage(url, { lookup: resolver }));
    expect(err.message).toMatch(/Gloss does not import from addresses on this computer or your local network \([0-9a-f.:]+\)\.$/);
    expect(guard.attempts.slice(before)).toEqual([]);
  });

  it('a name that resolves to a private address is refused after the lookup and before connecting', async () => {
    const asked: string[] = [];
    const lookup: HostResolver = async (name) => {
      asked.push(name);
      if (name === 'metadata.example') return [{ address: '169.254.169.254', family: 4 }];
      if (name === 'intranet.example') return [{ address: '10.20.30.40', family: 4 }];
      // One public and one private answer: refused as a whole, or the connection could pick the private one.
      return [{ address: '93.184.216.34', family: 4 }, { address: 'fd00::5', family: 6 }];
    };
    const before = guard.attempts.length;
    expect((await refusal(fetchPage('http://metadata.example/latest/', { lookup }))).message).toMatch(/\(169\.254\.169\.254\)\.$/);
    expect((await refusal(fetchPage('https://intranet.example/', { lookup }))).message).toMatch(/\(10\.20\.30\.40\)\.$/);
    expect((await refusal(fetchPage('http://mixed.example/', { lookup }))).message).toMatch(/\(fd00::5\)\.$/);
    expect(asked).toEqual(['metadata.example', 'intranet.example', 'mixed.example']);
    expect(guard.attempts.slice(before)).toEqual([]);
  });
});

describe('every redirect hop is checked, and the connection goes to the address that was checked', () => {
  // 127.0.0.2 stands in for a public server: the seam resolves public.example to it and only it is allowed.
  const PUBLIC = '127.0.0.2';
  let publicSite: Site | undefined;
  let privateSite: Site;
  let skip = '';
  const options = (lookup: HostResolver): FetchOptions => ({ lookup, allowPrivateRanges: [`${PUBLIC}/32`] });
  const lookups: string[] = [];
  const toPublic: HostResolver = async (name) => {
    lookups.push(name);
    if (name === 'public.example') return [{ address: PUBLIC, family: 4 }];
    if (name === 'intranet.example') return [{ address: '10.1.2.3', family: 4 }];
    if (name === 'localhost') return [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]; // as /etc/hosts says
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };

  beforeAll(async () => {
    privateSite = await startSite('127.0.0.1');
    try {
      publicSite = await startSite(PUBLIC, (req, res) => {
        const target: Record<string, string> = {
          '/to-loopback': `http://127.0.0.1:${privateSite.port}/secret`,
          '/to-localhost': `http://localhost:${privateSite.port}/secret`,
          '/to-mapped': `http://[::ffff:7f00:1]:${privateSite.port}/secret`,
          '/to-decimal': `http://2130706433:${privateSite.port}/secret`,
          '/to-metadata': 'http://169.254.169.254/latest/meta-data/iam/',
          '/to-intranet': 'http://intranet.example/admin',
          '/to-page': '/page',
        };
        if (target[req.url ?? '']) res.writeHead(302, { location: target[req.url!] }).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      });
    } catch (error) {
      // macOS routes only 127.0.0.1 by default; Linux (CI) routes all of 127/8.
      skip = `cannot listen on ${PUBLIC}: ${(error as Error).message}`;
    }
  });
  afterAll(async () => {
    await privateSite.close();
    await publicSite?.close();
  });

  it('follows a redirect between allowed addresses (the positive control for the refusals below)', async (ctx) => {
    if (skip) ctx.skip(skip);
    lookups.length = 0;
    const page = await fetchPage('http://public.example:' + publicSite!.port + '/to-page', options(toPublic));
    expect(page.url).toBe(`http://public.example:${publicSite!.port}/page`);
    expect(publicSite!.requests.slice(-2)).toEqual(['/to-page', '/page']);
    expect(lookups).toEqual(['public.example', 'public.example']); // resolved once per hop, by the seam only
  });

  it.for([
    ['/to-loopback', /\(127\.0\.0\.1\)\.$/],
    ['/to-localhost', /\((?:127\.0\.0\.1|::1)\)\.$/],
    ['/to-mapped', /\(::ffff:127\.0\.0\.1\)\.$/],
    ['/to-decimal', /\(127\.0\.0\.1\)\.$/],
    ['/to-metadata', /\(169\.254\.169\.254\)\.$/],
    ['/to-intranet', /\(10\.1\.2\.3\)\.$/],
  ] as const)('a public page redirecting %s is refused at that hop; nothing there is reached', async ([path, address], ctx) => {
    if (skip) ctx.skip(skip);
    const before = guard.attempts.length;
    const err = await refusal(fetchPage(`http://public.example:${publicSite!.port}${path}`, options(toPublic)));
    expect(err.message).toMatch(/Gloss does not import from addresses on this computer or your local network/);
    expect(err.message).toMatch(address);
    expect(privateSite.connections).toBe(0);
    // The only socket opened was the first hop's, to the checked address.
    expect(guard.attempts.slice(before)).toEqual([`public.example:${publicSite!.port} -> ${PUBLIC}`]);
  });

  it('DNS rebinding: a name that answers public for the check and private afterwards is still connected to the checked address', async (ctx) => {
    if (skip) ctx.skip(skip);
    let answers = 0;
    const rebinding: HostResolver = async () => [{ address: answers++ === 0 ? PUBLIC : '127.0.0.1', family: 4 }];
    const before = guard.attempts.length;
    const page = await fetchPage(`http://rebind.example:${publicSite!.port}/page`, options(rebinding));
    expect(page.kind).toBe('html');
    expect(answers).toBe(1); // no second resolution: the socket took the checked answer
    expect(privateSite.connections).toBe(0);
    expect(guard.attempts.slice(before)).toEqual([`rebind.example:${publicSite!.port} -> ${PUBLIC}`]);
  });
});

describe('failures in plain words, through the real fetch path', () => {
  const loopback: FetchOptions = { allowPrivateRanges: LOOPBACK_RANGES };
  let site: Site;
  const gzip = zlib.gzipSync(Buffer.from(PAGE));
  beforeAll(async () => {
    site = await startSite('127.0.0.1', (req, res) => {
      switch (req.url) {
        case '/page':
          return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
        case '/missing':
          return res.writeHead(404, 'Not Found', { 'content-type': 'text/plain' }).end('no');
        case '/gone':
          return res.writeHead(410, 'Gone').end();
        case '/private':
          return res.writeHead(403, 'Forbidden').end();
        case '/busy':
          return res.writeHead(429, 'Too Many Requests').end();
        case '/broken':
          return res.writeHead(500, 'Internal Server Error').end();
        case '/teapot':
          return res.writeHead(418, "I'm a Teapot").end();
        case '/loop':
          return res.writeHead(302, { location: '/loop' }).end();
        case '/nowhere':
          return res.writeHead(301).end();
        case '/image':
          return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        case '/pdf':
          return res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7');
        case '/huge':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end(Buffer.alloc(300 * 1024, 'a'));
        case '/gzip':
          return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzip);
        case '/gzip-bomb':
          return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, ' ')));
        case '/gzip-damaged':
          return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(Buffer.from('this is not gzip at all'));
        case '/compress':
          return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'compress' }).end('x');
        case '/cut':
          res.writeHead(200, { 'content-type': 'text/html', 'content-length': '100000' });
          res.write('<p>The start of a page');
          return setTimeout(() => res.socket?.destroy(), 20);
        case '/reset':
          return req.socket.destroy();
        case '/hang':
          return; // accepts, never answers
        default:
          return res.writeHead(404).end();
      }
    });
  });
  afterAll(() => site.close());

  const cases: [string, FetchOptions, RegExp][] = [
    ['/missing', {}, /The site says there is no page at that address \(404 Not Found\)\. Check the address\.$/],
    ['/gone', {}, /no page at that address \(410 Gone\)/],
    ['/private', {}, /The site refused to show the page \(403 Forbidden\)\. It may need you to sign in/],
    ['/busy', {}, /too many requests \(429 Too Many Requests\)\. Try again later\.$/],
    ['/broken', {}, /The site had a problem of its own \(500 Internal Server Error\)\. Try again later\.$/],
    ['/teapot', {}, /The site refused the request \(418 I'm a Teapot\)/],
    ['/loop', {}, /The site redirects more than 5 times \(it may be going round in a loop\)/],
    ['/nowhere', {}, /The site redirected \(301\) without saying where to/],
    ['/image', {}, /It is not a web page or text: the site says it is image\/png\. Gloss imports web pages, plain text, Markdown and PDFs\.$/],
    ['/pdf', {}, /the site says it is application\/pdf/],
    ['/gzip-damaged', {}, /The site sent the page compressed, but the compressed data is damaged/],
    ['/compress', {}, /a compression Gloss cannot read \(compress\)/],
    ['/cut', {}, /The download stopped before the page was complete\. The connection to the site broke before the page arrived\./],
    ['/reset', {}, /The connection to the site broke before the page arrived\. Try again later\.$/],
    ['/hang', { timeoutMs: 300 }, /The site did not answer within 0\.3 s\. Try again later\.$/],
  ];
  it.each(cases)('%s', async (p, extra, words) => {
    const err = await refusal(fetchPage(`${site.base}${p}`, { ...loopback, ...extra }));
    expect(err.code).toBe('invalid_input');
    expect(err.message.startsWith(`Cannot import "${site.base}${p}": `)).toBe(true);
    expect(err.message).toMatch(words);
    expect(err.message).not.toMatch(/\bE[A-Z]{4,}\b|HPE_|Z_DATA/); // no bare error codes
  });

  it('too large, streamed or decompressed (a gzip bomb stops at the cap)', async () => {
    for (const p of ['/huge', '/gzip-bomb']) {
      const err = await refusal(fetchPage(`${site.base}${p}`, { ...loopback, maxBytes: 256 * 1024 }));
      expect(err.code).toBe('too_large');
      expect(err.message).toMatch(/it is larger than the 256 KB limit/);
    }
  });

  it('a gzip-compressed page is read', async () => {
    const page = await fetchPage(`${site.base}/gzip`, loopback);
    expect(page.text).toBe(PAGE);
  });

  it('a closed port: nothing accepts connections there', async () => {
    const probe = net.createServer();
    const port = await listen(probe, '127.0.0.1');
    await new Promise((resolve) => probe.close(resolve));
    const err = await refusal(fetchPage(`http://127.0.0.1:${port}/`, loopback));
    expect(err.message).toMatch(/Nothing is accepting connections at that address\. Check the address \(and its port\), or try again later\.$/);
  });

  it('a port that belongs to another protocol is refused before connecting', async () => {
    const before = guard.attempts.length;
    for (const port of [25, 6000, 22]) {
      const err = await refusal(fetchPage(`http://127.0.0.1:${port}/`, loopback));
      expect(err.message).toMatch(new RegExp(`That address has a port Gloss cannot use \\(${port}\\)`));
    }
    expect(guard.attempts.slice(before)).toEqual([]);
  });

  it('a name that does not resolve', async () => {
    const lookup: HostResolver = async (name) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    };
    const err = await refusal(fetchPage('https://no-such-host.example/', { lookup }));
    expect(err.message).toBe('Cannot import "https://no-such-host.example/": No server answers at that address. Check the spelling or your connection.');
  });

  it('not HTTP at all (a server that answers with something else)', async () => {
    const sockets = new Set<net.Socket>();
    const raw = net.createServer((socket) => {
      sockets.add(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    const port = await listen(raw, '127.0.0.1');
    try {
      const err = await refusal(fetchPage(`http://127.0.0.1:${port}/`, loopback));
      expect(err.message).toMatch(/The site answered with something that is not a web page \(not valid HTTP\)/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('an https site with a self-signed certificate', async (ctx) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gloss-tls-'));
    try {
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
          '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      } catch {
        ctx.skip('openssl is not installed: cannot make a test certificate');
      }
      const server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE),
      );
      const port = await listen(server, '127.0.0.1');
      try {
        const err = await refusal(fetchPage(`https://127.0.0.1:${port}/`, loopback));
        expect(err.message).toMatch(/The site's security certificate is self-signed \(no authority vouches for it\), so Gloss did not connect\.$/);
        const plain = await refusal(fetchPage(`http://127.0.0.1:${port}/`, loopback));
        expect(plain.message).toMatch(/The connection to the site broke|not valid HTTP/);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every code Gloss names has words without the code; an unknown code says the general thing with the code', () => {
    const codes = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED',
      'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'HPE_INVALID_CONSTANT', 'HPE_HEADER_OVERFLOW', 'Z_DATA_ERROR'];
    for (const code of codes) {
      const words = describeNetworkFailure(Object.assign(new Error('x'), { code }));
      expect(words, code).not.toContain(code);
      expect(words, code).toMatch(/^[A-Z].*\.$/);
    }
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: { code: 'EHOSTUNREACH' } }))).toMatch(/could not reach that server/);
    expect(describeNetworkFailure(Object.assign(new Error('x'), { code: 'EWHATEVER' }))).toBe(
      'The page could not be fetched (EWHATEVER). Check the address and your connection, then try again.',
    );
  });
});
