import { useCallback, useState } from 'react';
import { ApiCallError, type GlossClient } from '../../api/client';
import type { Notifier } from '../../app/Toasts';
import { isPdfFile, MAX_BASE64_BYTES, toBase64 } from './file-import';
import type { PasswordPrompt } from './useImporter';

export interface PdfReplacer {
  /** Replaces a PDF article's file with `file` (a newer version of the paper): highlights re-anchor by quote. */
  replace: (articleId: string, file: File) => void;
  /** Set while an encrypted replacement waits for its password (shown with PasswordDialog). */
  passwordPrompt: PasswordPrompt | null;
}

const MIB = 1024 * 1024;

/**
 * *Replace PDF…*: a newer version of a PDF article's file through `replacePdf`. The notebook reads it in its worker and
 * re-anchors every highlight on the new text (fuzzy, as for a changed web page); what it cannot find is kept and marked
 * orphaned, never dropped. The toast says how many were found again. The file travels as base64 in the API's JSON
 * body, so a replacement is capped at what that body holds (about 12 MiB); a larger one is refused here, plainly.
 */
export function usePdfReplacer(client: GlossClient, notify: Notifier): PdfReplacer {
  const [passwordPrompt, setPasswordPrompt] = useState<PasswordPrompt | null>(null);

  const replace = useCallback(
    (articleId: string, file: File) => {
      const name = file.name || 'the file';
      if (!isPdfFile(file)) {
        notify.error(`“${name}” is not a PDF, so it cannot replace this PDF. Choose the new version's .pdf file.`);
        return;
      }
      if (file.size > MAX_BASE64_BYTES) {
        notify.error(`“${name}” is ${(file.size / MIB).toFixed(1)} MiB; Replace PDF takes files up to ${Math.floor(MAX_BASE64_BYTES / MIB)} MiB. Import it as a new article instead.`);
        return;
      }
      const attempt = async (contentBase64: string, password?: string): Promise<'done' | 'wrong'> => {
        try {
          const { anchored, orphaned } = await client.replacePdf(articleId, { contentBase64, fileName: file.name, ...(password !== undefined && { password }) });
          setPasswordPrompt(null);
          const lost = orphaned ? `; ${orphaned} could not be found in it and are kept in the notes panel, marked orphaned` : '';
          notify.show(`Replaced the PDF with “${name}”: ${anchored} highlight${anchored === 1 ? '' : 's'} found again${lost}.`, orphaned ? 'warning' : 'info');
          return 'done';
        } catch (error) {
          if (error instanceof ApiCallError && error.code === 'password_required') {
            if (password !== undefined) return 'wrong';
            setPasswordPrompt({ fileName: name, submit: (typed) => attempt(contentBase64, typed), cancel: () => setPasswordPrompt(null) });
            return 'wrong';
          }
          setPasswordPrompt(null);
          notify.error(`The PDF was not replaced: ${(error as Error).message}`);
          return 'done';
        }
      };
      void file.arrayBuffer().then(
        (buffer) => attempt(toBase64(new Uint8Array(buffer))),
        (error: Error) => notify.error(`Could not read “${name}”: ${error.message}`),
      );
    },
    [client, notify],
  );

  return { replace, passwordPrompt };
}
