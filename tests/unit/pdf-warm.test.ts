/**
 * warm.ts: a PDF's document loaded ahead of its reader is handed to the reader that asks for that article and file,
 * once, and is destroyed when the app goes elsewhere or another PDF is loaded ahead; the worker started for an article
 * that is not a PDF is stopped unless pdf.js has claimed it. pdf.js itself is not loaded here: the reader's chunk is
 * replaced by a stand-in whose loadPdf makes tasks that record their destruction.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Article } from '../../electron/contract';

interface FakeTask {
  url: string;
  /** The bytes the app fetched itself and handed to pdf.js, if it did. */
  data?: Uint8Array;
  destroyed: boolean;
  promise: Promise<never>;
  destroy: () => Promise<void>;
}
const tasks: FakeTask[] = [];
/** Page 1 drawn before the app (early-page.ts), asked of the chunk: for which task and box. */
const earlyDraws: { task: FakeTask; key: string; box: unknown }[] = [];

vi.mock('pdfjs-dist/build/pdf.worker.min.mjs?url', () => ({ default: '/assets/pdf.worker.js' }));
vi.mock('../../renderer/src/reader/pdf/reader-chunk', () => ({
  loadPdf: (source: { url: string }, _password?: string, data?: Uint8Array) => {
    const task: FakeTask = {
      url: source.url,
      data,
      destroyed: false,
      promise: new Promise<never>(() => undefined),
      destroy: async () => {
        task.destroyed = true;
      },
    };
    tasks.push(task);
    return task;
  },
  drawEarlyPage: async (task: FakeTask, key: string, _article: unknown, box: Promise<unknown>) => {
    earlyDraws.push({ task, key, box: await box });
  },
}));

class FakeWorker {
  static made: FakeWorker[] = [];
  terminated = false;
  constructor(readonly url: string) {
    FakeWorker.made.push(this);
  }
  terminate(): void {
    this.terminated = true;
  }
}

type Warm = typeof import('../../renderer/src/reader/pdf/warm');

function pdfArticle(id: string, sha256 = 'aa', password?: string): Article {
  return { id, kind: 'pdf', pdf: { sha256, bytes: 1, pageCount: 1, hasTextLayer: true, password } } as unknown as Article;
}
const source = (id: string) => ({ url: `/files/${id}.pdf` });
/** Lets the chunk's import and the source's promise settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('loading a PDF ahead of its reader', () => {
  let warm: Warm;
  beforeEach(async () => {
    vi.resetModules();
    tasks.length = 0;
    earlyDraws.length = 0;
    FakeWorker.made = [];
    vi.stubGlobal('Worker', FakeWorker);
    warm = await import('../../renderer/src/reader/pdf/warm');
  });

  it('hands the loading task to the reader of that article and file, once', async () => {
    const a = pdfArticle('a');
    warm.preopenPdf(a, source);
    await settle();
    expect(tasks.map((t) => t.url)).toEqual(['/files/a.pdf']);
    expect(warm.takePreopenedPdf(warm.pdfKey('a', 'other-file'))).toBeNull(); // another file under the same id
    expect(tasks[0].destroyed).toBe(false);
    expect(warm.takePreopenedPdf(warm.pdfKey('a', 'aa'))).toBe(tasks[0]);
    expect(warm.takePreopenedPdf(warm.pdfKey('a', 'aa'))).toBeNull();
    expect(FakeWorker.made).toHaveLength(1);
  });

  it('asks once for the same article, and destroys one loaded for an article the app has left', async () => {
    warm.preopenPdf(pdfArticle('a'), source);
    warm.preopenPdf(pdfArticle('a'), source);
    await settle();
    expect(tasks).toHaveLength(1);
    warm.leavePdfArticle('a'); // still on it: kept
    expect(tasks[0].destroyed).toBe(false);
    warm.leavePdfArticle(null); // the library
    expect(tasks[0].destroyed).toBe(true);
    expect(warm.takePreopenedPdf(warm.pdfKey('a', 'aa'))).toBeNull();
  });

  it('drops the last one when another PDF is loaded ahead, and never loads one the app left before the chunk came', async () => {
    warm.preopenPdf(pdfArticle('a'), source);
    await settle();
    warm.preopenPdf(pdfArticle('b'), source);
    expect(tasks[0].destroyed).toBe(true);
    warm.leavePdfArticle('c'); // gone elsewhere before b's load could start
    await settle();
    expect(tasks.map((t) => t.url)).toEqual(['/files/a.pdf']);
  });

  it('a reader that asks before the load started loads it itself, and the late load does not happen', async () => {
    warm.preopenPdf(pdfArticle('a'), source);
    expect(warm.takePreopenedPdf(warm.pdfKey('a', 'aa'))).toBeNull();
    await settle();
    expect(tasks).toEqual([]);
  });

  it("fetches a PDF's bytes itself and hands them to pdf.js, unless the file is too big or the answer is not the file", async () => {
    const bodies: Record<string, Response> = {
      '/files/a.pdf': new Response(new Uint8Array([37, 80, 68, 70]), { headers: { 'Content-Length': '4' } }),
      '/files/big.pdf': new Response(new Uint8Array([37, 80]), { headers: { 'Content-Length': String(warm.EARLY_BYTES_LIMIT + 1) } }),
      '/files/gone.pdf': new Response('{"ok":false}', { status: 404, headers: { 'Content-Length': '12' } }),
    };
    const asked: { url: string; headers: unknown }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      asked.push({ url, headers: init.headers });
      return bodies[url];
    });
    const withHeaders = (id: string) => ({ url: `/files/${id}.pdf`, httpHeaders: { Authorization: 'Bearer t' } });
    for (const id of ['a', 'big', 'gone']) {
      warm.preopenPdf(pdfArticle(id), withHeaders);
      await settle();
    }
    expect(asked).toEqual(['a', 'big', 'gone'].map((id) => ({ url: `/files/${id}.pdf`, headers: { Authorization: 'Bearer t' } })));
    expect(tasks.map((t) => [t.url, t.data ? [...t.data] : null])).toEqual([
      ['/files/a.pdf', [37, 80, 68, 70]],
      ['/files/big.pdf', null], // pdf.js fetches it by ranges itself
      ['/files/gone.pdf', null], // pdf.js fetches it and says what is wrong
    ]);
    vi.unstubAllGlobals();
  });

  it('uses the bytes asked for before the article came (one request), and draws page 1 early only when given a box', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return new Response(new Uint8Array([37, 80, 68, 70]), { headers: { 'Content-Length': '4' } });
    });
    warm.prefetchPdfBytes('a', source('a'));
    const box = { articleId: 'a' };
    // What is known before the article comes (the id and the file) is enough to start.
    await warm.preopenPdf({ id: 'a', kind: 'pdf', pdf: pdfArticle('a').pdf }, source, { article: Promise.resolve(pdfArticle('a')), box: Promise.resolve(box) } as Parameters<Warm['preopenPdf']>[2]);
    expect(asked).toEqual(['/files/a.pdf']);
    expect(tasks.map((t) => [t.url, t.data ? [...t.data] : null])).toEqual([['/files/a.pdf', [37, 80, 68, 70]]]);
    expect(earlyDraws).toEqual([{ task: tasks[0], key: warm.pdfKey('a', 'aa'), box }]);
    // Bytes asked for another article are not this one's; without a box nothing is drawn early.
    warm.prefetchPdfBytes('x', source('x'));
    await warm.preopenPdf(pdfArticle('b'), source);
    expect(asked).toEqual(['/files/a.pdf', '/files/x.pdf', '/files/b.pdf']);
    expect(earlyDraws).toHaveLength(1);
    vi.unstubAllGlobals();
  });

  it('stops the worker started for an article that is not a PDF, but never one pdf.js has claimed', () => {
    warm.startPdfWorker();
    warm.stopIdlePdfWorker();
    expect(FakeWorker.made[0].terminated).toBe(true);
    const claimed = warm.claimPdfWorker();
    warm.stopIdlePdfWorker();
    expect(FakeWorker.made).toHaveLength(2);
    expect((claimed as unknown as FakeWorker).terminated).toBe(false);
  });
});
