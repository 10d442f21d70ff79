/**
 * Browser mode's token (renderer/src/api/token.ts) and the client's reaction to a 401 (api/client.ts): a refusal
 * forgets the token it was sent with, and only that one. The printed URL opened again in the tab while a request with
 * the old token was out (the e2e security spec does exactly this) must not lose the new token to the old one's late 401.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../support/memory-storage';

type Client = typeof import('../../renderer/src/api/client');
type Token = typeof import('../../renderer/src/api/token');


describe('a refused token in browser mode', () => {
  let hashchange: () => void = () => undefined;
  let sent: { auth: string | undefined; answer: (status: number) => void }[] = [];
  let token: Token;
  let client: Client;

  beforeEach(async () => {
    vi.resetModules();
    sent = [];
    const location = { hash: '#token=old', pathname: '/', search: '', origin: 'http://127.0.0.1:1' };
    vi.stubGlobal('window', {
      location,
      history: { state: null, replaceState: (_state: unknown, _title: string, url: string) => (location.hash = url.includes('#') ? url.slice(url.indexOf('#')) : '') },
      sessionStorage: memoryStorage(),
      addEventListener: (type: string, listener: () => void) => type === 'hashchange' && (hashchange = listener),
    });
    vi.stubGlobal('location', location);
    vi.stubGlobal('navigator', { platform: 'Linux x86_64' });
    // Every request waits until the test answers it, with the status the test chooses.
    vi.stubGlobal('fetch', (_path: string, init: RequestInit) =>
      new Promise<Response>((resolve) => {
        const auth = (init.headers as Record<string, string>).Authorization;
        sent.push({ auth, answer: (status) => resolve(new Response(JSON.stringify(status === 200 ? { ok: true, value: [] } : { ok: false, error: { code: 'unauthorized', message: 'no' } }), { status })) });
      }),
    );
    token = await import('../../renderer/src/api/token');
    client = await import('../../renderer/src/api/client');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('forgets the token a 401 answered, and locks the app', async () => {
    const locked = vi.fn();
    const api = client.createClient(locked);
    const call = api.listArticles().catch(() => 'refused');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].auth).toBe('Bearer old');
    sent[0].answer(401);
    expect(await call).toBe('refused');
    expect(token.currentToken()).toBeNull();
    expect(window.sessionStorage.getItem('gloss.token')).toBeNull();
    expect(locked).toHaveBeenCalledTimes(1);
  });

  it('keeps a newer token opened while a request with the old one was out, and locks nothing', async () => {
    const locked = vi.fn();
    const api = client.createClient(locked);
    const call = api.listArticles().catch(() => 'refused');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    // The printed URL opened again in this tab: a same-document navigation, only a hashchange.
    window.location.hash = '#token=new';
    hashchange();
    expect(token.currentToken()).toBe('new');
    sent[0].answer(401); // the old token's late refusal
    expect(await call).toBe('refused');
    expect(token.currentToken()).toBe('new');
    expect(window.sessionStorage.getItem('gloss.token')).toBe('new');
    expect(locked).not.toHaveBeenCalled();

    const next = api.listArticles();
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1].auth).toBe('Bearer new');
    sent[1].answer(200);
    expect(await next).toEqual([]);
  });
});
