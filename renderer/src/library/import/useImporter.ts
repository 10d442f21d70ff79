import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ArticleSummary, ImportRequest } from '../../../../electron/contract';
import type { GlossClient } from '../../api/client';
import type { Notifier } from '../../app/Toasts';
import { fileImportRequest, ImportProblem, namingFile } from './file-import';

/** Below this an import feels instant; a progress indicator would only flicker. */
export const PROGRESS_DELAY_MS = 300;

interface Job {
  /** What the user calls it: the file name, "the pasted text". */
  name: string;
  request: () => Promise<ImportRequest>;
  /** Tried when `request` is refused (pasted HTML without a readable article falls back to its plain text). */
  fallback?: () => Promise<ImportRequest>;
}

export interface ImportProgress {
  total: number;
  done: number;
  current: string;
}

export interface Importer {
  /** Progress of the batch under way, once it has taken longer than PROGRESS_DELAY_MS; null otherwise. */
  progress: ImportProgress | null;
  /** One line per refused import, naming the file and the reason; kept until dismissed or the next batch. */
  problems: string[];
  dismissProblems: () => void;
  importFiles: (files: Iterable<File>) => void;
  importPaste: (data: DataTransfer) => boolean;
  /** Imports one URL; resolves with the article, rejects with a message naming the URL and the reason. */
  importUrl: (url: string) => Promise<ArticleSummary>;
}

/**
 * The one import queue behind every way in (picker, drop, paste, URL): one import at a time, so progress reads
 * "2 of 5" and a batch of large files does not flood the notebook. After a batch, a single new article opens; several
 * are announced.
 */
export function useImporter(client: GlossClient, notify: Notifier): Importer {
  const queue = useRef<Job[]>([]);
  const running = useRef(false);
  const batch = useRef({ total: 0, done: 0, imported: [] as ArticleSummary[], failed: 0 });
  const [state, setState] = useState<ImportProgress | null>(null);
  const [showProgress, setShowProgress] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    if (!state) {
      setShowProgress(false);
      return;
    }
    const timer = setTimeout(() => setShowProgress(true), PROGRESS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [state === null]); // eslint-disable-line react-hooks/exhaustive-deps

  const runOne = useCallback(
    async (job: Job): Promise<ArticleSummary> => {
      try {
        return await client.importArticle(await job.request());
      } catch (error) {
        if (!job.fallback || error instanceof ImportProblem) throw error;
        return client.importArticle(await job.fallback());
      }
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
      if (imported.length === 1 && failed === 0) window.location.hash = `#/article/${encodeURIComponent(imported[0].id)}`;
      else if (imported.length > 0) notify.show(`Imported ${imported.length} article${imported.length === 1 ? '' : 's'}.`);
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
    (files: Iterable<File>) => enqueue([...files].map((file) => ({ name: file.name || 'unnamed file', request: () => fileImportRequest(file) }))),
    [enqueue],
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
        return article;
      } catch (error) {
        throw new Error(namingFile(url, (error as Error).message), { cause: error });
      }
    },
    [client],
  );

  const dismissProblems = useCallback(() => setProblems([]), []);
  const progress = showProgress ? state : null;
  return useMemo(
    () => ({ progress, problems, dismissProblems, importFiles, importPaste, importUrl }),
    [progress, problems, dismissProblems, importFiles, importPaste, importUrl],
  );
}
