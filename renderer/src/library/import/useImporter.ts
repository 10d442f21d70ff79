import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ArticleSummary, ImportedArticleSummary, ImportRequest } from '../../../../electron/contract';
import { ApiCallError, type GlossClient } from '../../api/client';
import type { Notifier } from '../../app/Toasts';
import { epubImportRequest, fileImportRequest, formatOfFileName, ImportProblem, isEpubFile, isPdfFile, namingFile, pdfImportRequest } from './file-import';
import { attachmentsFor, isImageFile, withAttachments, type GivenFile } from './saved-page';

/** Below this an import feels instant; a progress indicator would only flicker. */
export const PROGRESS_DELAY_MS = 300;

interface Job {
  /** What the user calls it: the file name, "the pasted text". */
  name: string;
  request?: () => Promise<ImportRequest>;
  /** Instead of `request`: an import that goes its own way (a PDF's bytes, perhaps after asking for its password). */
  run?: () => Promise<ImportedArticleSummary>;
  /** Tried when `request` is refused (pasted HTML without a readable article falls back to its plain text). */
  fallback?: () => Promise<ImportRequest>;
}

export interface ImportProgress {
  total: number;
  done: number;
  current: string;
}

/** An encrypted PDF waiting for its password (the import queue waits with it). */
export interface PasswordPrompt {
  fileName: string;
  /** Tries the password: 'done' once imported (or failed for another reason, reported as usual), 'wrong' to ask again. */
  submit: (password: string) => Promise<'done' | 'wrong'>;
  /** The user gave up on this file: it is skipped, not reported as a failure. */
  cancel: () => void;
}

/** The user cancelled the password prompt: not a failure to report. */
class ImportCancelled extends Error {}

const isPasswordRefusal = (error: unknown): boolean => error instanceof ApiCallError && error.code === 'password_required';

function highlightsFromFile(n: number, files: string): string {
  return `${n} highlight${n === 1 ? '' : 's'} from the ${files} annotations`;
}

const REASONS: Record<string, string> = {
  'not-an-image': 'not an image',
  'too-large': 'too large',
  'unsafe-svg': 'an unusable SVG',
  'over-article-limit': "over the article's limit",
  unavailable: 'could not be fetched',
};

/** "2 images were not kept (1 not an image, 1 too large)", or null when every image was kept. */
export function imagesNotKept(article: ImportedArticleSummary): string | null {
  const reasons = Object.entries(article.images?.notStored ?? {}).filter(([, n]) => (n ?? 0) > 0);
  const total = reasons.reduce((sum, [, n]) => sum + (n ?? 0), 0);
  if (total === 0) return null;
  const why = reasons.map(([reason, n]) => `${n} ${REASONS[reason] ?? reason}`).join(', ');
  return `${total} image${total === 1 ? ' was' : 's were'} not kept (${why})`;
}

export interface Importer {
  /** Progress of the batch under way, once it has taken longer than PROGRESS_DELAY_MS; null otherwise. */
  progress: ImportProgress | null;
  /** One line per refused import, naming the file and the reason; kept until dismissed or the next batch. */
  problems: string[];
  dismissProblems: () => void;
  /** Files picked or dropped; images among them go with the HTML pages they belong to (saved-page.ts). */
  importFiles: (files: Iterable<File | GivenFile>) => void;
  importPaste: (data: DataTransfer) => boolean;
  /** Imports one URL; resolves with the article, rejects with a message naming the URL and the reason. */
  importUrl: (url: string) => Promise<ArticleSummary>;
  /** Set while an encrypted PDF waits for its password. */
  passwordPrompt: PasswordPrompt | null;
}

/**
 * The one import queue behind every way in (picker, drop, paste, URL): one import at a time, so progress reads
 * "2 of 5" and a batch of large files does not flood the notebook. After a batch, a single new article opens; several
 * are announced.
 */
export function useImporter(client: GlossClient, notify: Notifier): Importer {
  const queue = useRef<Job[]>([]);
  const running = useRef(false);
  const batch = useRef({ total: 0, done: 0, imported: [] as ImportedArticleSummary[], failed: 0 });
  const [state, setState] = useState<ImportProgress | null>(null);
  const [showProgress, setShowProgress] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [passwordPrompt, setPasswordPrompt] = useState<PasswordPrompt | null>(null);

  useEffect(() => {
    if (!state) {
      setShowProgress(false);
      return;
    }
    const timer = setTimeout(() => setShowProgress(true), PROGRESS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [state === null]); // eslint-disable-line react-hooks/exhaustive-deps

  const runOne = useCallback(
    async (job: Job): Promise<ImportedArticleSummary> => {
      if (job.run) return job.run();
      try {
        return await client.importArticle(await job.request!());
      } catch (error) {
        if (!job.fallback || error instanceof ImportProblem) throw error;
        return client.importArticle(await job.fallback());
      }
    },
    [client],
  );

  /**
   * A PDF: its bytes sent as they are. An encrypted one is refused with password_required (HTTP 423, not 401: the
   * token is fine); then the user is asked, and the queue waits until the file is imported or the user cancels.
   */
  const importPdf = useCallback(
    async (file: File): Promise<ImportedArticleSummary> => {
      const request = pdfImportRequest(file);
      try {
        return await client.importFile(file, request);
      } catch (error) {
        if (!isPasswordRefusal(error)) throw error;
      }
      return new Promise<ImportedArticleSummary>((resolve, reject) => {
        // Cancelled while a password is being tried: that try still decides (an article it imported is not hidden).
        let trying = false;
        let cancelled = false;
        setPasswordPrompt({
          fileName: request.fileName,
          submit: async (password) => {
            trying = true;
            try {
              resolve(await client.importFile(file, { ...request, password }));
            } catch (error) {
              if (!isPasswordRefusal(error)) reject(error);
              else if (cancelled) reject(new ImportCancelled());
              else return 'wrong';
            } finally {
              trying = false;
            }
            setPasswordPrompt(null);
            return 'done';
          },
          cancel: () => {
            cancelled = true;
            setPasswordPrompt(null);
            if (!trying) reject(new ImportCancelled());
          },
        });
      });
    },
    [client],
  );

  const drain = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      for (let job = queue.current.shift(); job; job = queue.current.shift()) {
        const b = batch.current;
        setState({ total: b.total, done: b.done, current: job.name });
        try {
          b.imported.push(await runOne(job));
        } catch (error) {
          if (error instanceof ImportCancelled) {
            b.done += 1;
            continue;
          }
          b.failed += 1;
          const message = error instanceof ImportProblem ? error.message : namingFile(job.name, (error as Error).message);
          setProblems((list) => [...list, message]);
        }
        b.done += 1;
      }
    } finally {
      running.current = false;
      const { imported, failed } = batch.current;
      batch.current = { total: 0, done: 0, imported: [], failed: 0 };
      setState(null);
      // Highlights a PDF brought with it (its own annotations, made in another reader) are said, so none is a surprise.
      const fromFiles = imported.reduce((n, a) => n + (a.importedHighlights ?? 0), 0);
      if (imported.length === 1 && failed === 0) {
        window.location.hash = `#/article/${encodeURIComponent(imported[0].id)}`;
        if (fromFiles > 0) notify.show(`Imported “${imported[0].title}” with ${highlightsFromFile(fromFiles, "file's")}.`);
        const images = imagesNotKept(imported[0]);
        if (images) notify.show(`Imported “${imported[0].title}”; ${images}.`);
      } else if (imported.length > 0) {
        const files = imported.filter((a) => (a.importedHighlights ?? 0) > 0).length === 1 ? "file's" : "files'";
        notify.show(`Imported ${imported.length} article${imported.length === 1 ? '' : 's'}${fromFiles > 0 ? `, with ${highlightsFromFile(fromFiles, files)}` : ''}.`);
      }
    }
  }, [runOne, notify]);

  const enqueue = useCallback(
    (jobs: Job[]) => {
      if (jobs.length === 0) return;
      if (!running.current) setProblems([]);
      queue.current.push(...jobs);
      batch.current.total += jobs.length;
      setState((s) => ({ total: batch.current.total, done: batch.current.done, current: s?.current ?? jobs[0].name }));
      void drain();
    },
    [drain],
  );

  const importFiles = useCallback(
    (given: Iterable<File | GivenFile>) => {
      const files = [...given].map((g) => (g instanceof File ? { file: g, path: g.name } : g));
      const isPage = (f: GivenFile): boolean => formatOfFileName(f.file.name) === 'html';
      const pages = files.filter(isPage);
      // With a page, images are its files (a saved page's _files folder), not articles; alone, they are refused as before.
      const images = pages.length > 0 ? files.filter((f) => !isPage(f) && isImageFile(f.file.name)) : [];
      const jobs = files
        .filter((f) => !images.includes(f) && !(pages.length > 0 && /_files\//.test(f.path)))
        .map(({ file, ...rest }): Job => {
          const name = file.name || 'unnamed file';
          if (isPdfFile(file)) return { name, run: () => importPdf(file) };
          if (isEpubFile(file)) return { name, run: () => client.importFile(file, epubImportRequest(file)) };
          const attachments = isPage({ file, ...rest }) ? attachmentsFor({ file, ...rest }, images) : [];
          return { name, request: async () => withAttachments(await fileImportRequest(file), attachments) };
        });
      enqueue(jobs);
    },
    [enqueue, importPdf, client],
  );

  const importPaste = useCallback(
    (data: DataTransfer): boolean => {
      const files = [...data.files];
      if (files.length > 0) {
        importFiles(files);
        return true;
      }
      const html = data.getData('text/html');
      const text = data.getData('text/plain');
      const name = 'the pasted text';
      const asText = async (): Promise<ImportRequest> => ({ format: 'text', content: text });
      if (html.trim()) {
        // Readability wants a page; a pasted fragment may hold too little for it, and then the plain text is kept.
        enqueue([{ name, request: async () => ({ format: 'html', content: html }), fallback: text.trim() ? asText : undefined }]);
        return true;
      }
      if (text.trim()) {
        enqueue([{ name, request: asText }]);
        return true;
      }
      return false;
    },
    [enqueue, importFiles],
  );

  const importUrl = useCallback(
    async (url: string) => {
      try {
        const article = await client.importArticle({ format: 'url', url });
        window.location.hash = `#/article/${encodeURIComponent(article.id)}`;
        const images = imagesNotKept(article);
        if (images) notify.show(`Imported “${article.title}”; ${images}.`);
        return article;
      } catch (error) {
        throw new Error(namingFile(url, (error as Error).message), { cause: error });
      }
    },
    [client, notify],
  );

  const dismissProblems = useCallback(() => setProblems([]), []);
  const progress = showProgress ? state : null;
  return useMemo(
    () => ({ progress, problems, dismissProblems, importFiles, importPaste, importUrl, passwordPrompt }),
    [progress, problems, dismissProblems, importFiles, importPaste, importUrl, passwordPrompt],
  );
}
