/**
 * A whole-notebook backup as a file, written and read one article at a time, so a library of 10,000 articles (some
 * 400 MB of text and HTML) is never one string or one object in memory: V8 cannot hold a string that long, and the
 * object would be twice the library.
 *
 * The file is the same JSON document `backupNotebook` returns (parseBackup reads either), laid out so it streams: the
 * backup's own fields first, then `"articles":[`, then each article on its own line. The reader does not depend on
 * that layout: any backup (the pretty-printed files earlier versions saved included) is read with stream-json's
 * tokenizer, each article assembled, handed over and dropped before the next.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parser } from 'stream-json';
import Assembler from 'stream-json/Assembler';
import { CONTRACT_VERSION, type Article, type Settings } from '../../contract';
import { GlossError, invalid } from '../errors';
import { BACKUP_FORMAT, BACKUP_VERSION, BackupIdCheck, parseBackupArticle, parseBackupHeader } from './backup';

/** The backup's text in pieces: its own fields, then one article per line, then the closing brackets. */
export async function* backupJsonChunks(settings: Settings, articles: AsyncIterable<Article>): AsyncGenerator<string> {
  const header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, contractVersion: CONTRACT_VERSION, settings };
  yield `${JSON.stringify(header).slice(0, -1)},"articles":[`;
  let first = true;
  for await (const article of articles) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(article)}`;
    first = false;
  }
  yield '\n]}\n';
}

/** What one pass over a backup file found: the backup's own fields, and each article as it was assembled. */
export type BackupFileEntry = { kind: 'article'; index: number; value: unknown } | { kind: 'fields'; fields: Record<string, unknown> };

/**
 * Reads a backup file token by token: yields each element of its `articles` array as soon as it is whole (and keeps
 * nothing of it), then the document's other fields once the file has ended. `onBytes` sees every byte read (a hash).
 * Malformed JSON, or a document that is not an object, is an `invalid_input` error naming what was wrong.
 */
export async function* readBackupFile(file: string, onBytes?: (chunk: Buffer) => void): AsyncGenerator<BackupFileEntry> {
  const source = createReadStream(file);
  let bytes = 0;
  source.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes?.(chunk as Buffer);
  });
  const tokens = source.pipe(parser({ streamValues: false, streamKeys: false }));
  source.on('error', (error) => tokens.destroy(error));
  const assembler = new Assembler();
  let index = 0;
  let first = true;
  try {
    for await (const token of tokens as AsyncIterable<Parameters<Assembler["consume"]>[0]>) {
      if (first && token.name !== 'startObject') throw invalid('Backup is not valid: (root): expected an object');
      first = false;
      assembler.consume(token);
      // The assembler builds the root object; an element of its `articles` array is taken out the moment it is whole.
      if (assembler.stack.length === 2 && assembler.stack[1] === 'articles' && Array.isArray(assembler.current) && assembler.current.length === 1) {
        // Copied through JSON: the tokenizer's strings are slices of the 64 KB piece of the file they were read from,
        // and an id or a quote kept from an article (the restore keeps its metadata and highlights) would keep that
        // whole piece alive with it: ~1 GB held at 10,000 articles before this copy.
        yield { kind: 'article', index: index++, value: JSON.parse(JSON.stringify((assembler.current as unknown[]).pop())) };
      }
    }
  } catch (error) {
    if (error instanceof GlossError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw invalid(`Cannot read the backup file: ${(error as Error).message}`);
    if (bytes === 0) throw invalid('Backup is not valid JSON: the file is empty');
    // stream-json's own messages ("Parser cannot parse input: expected a value") name the problem, not the file.
    throw invalid(`Backup is not valid JSON: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
  if (first) throw invalid('Backup is not valid JSON: the file is empty');
  const root = assembler.current as Record<string, unknown>;
  const { articles: _streamed, ...fields } = root;
  if (!Array.isArray(_streamed)) throw invalid('Backup is not valid: articles: expected an array');
  yield { kind: 'fields', fields };
}

/** What a restore needs to know about a backup file before it reads the articles again to apply them. */
export interface BackupFileCheck {
  settings: Settings;
  /** The backup's article ids, in its order. */
  articleIds: string[];
  /** Of the bytes checked: the restore reads the file again and refuses to apply it if they changed meanwhile. */
  sha256: string;
}

/**
 * Validates a whole backup file the way parseBackup validates a backup in memory (every article against the
 * contract's schemas, no duplicate ids, a version this Gloss reads), holding one article at a time. Runs in the
 * notebook's worker: the file is untrusted bytes.
 */
export async function checkBackupFile(file: string): Promise<BackupFileCheck> {
  const hash = createHash('sha256');
  const ids = new BackupIdCheck();
  const articleIds: string[] = [];
  let header: { settings: Settings } | undefined;
  for await (const entry of readBackupFile(file, (chunk) => hash.update(chunk))) {
    if (entry.kind === 'fields') {
      header = parseBackupHeader(entry.fields);
      continue;
    }
    const article = parseBackupArticle(entry.value, entry.index);
    ids.add(article, entry.index);
    articleIds.push(article.id);
  }
  if (!header) throw invalid('Backup is not valid: the file ended before the backup did');
  return { settings: header.settings, articleIds, sha256: hash.digest('hex') };
}

/**
 * The articles of a file `checkBackupFile` passed, read again: each parsed (the schema strips what a later minor
 * version added, as parseBackup does), and at the end the bytes compared with the check's, so a file changed between
 * the two reads is refused before anything is applied.
 */
export async function* backupFileArticles(file: string, check: BackupFileCheck): AsyncGenerator<Article> {
  const hash = createHash('sha256');
  for await (const entry of readBackupFile(file, (chunk) => hash.update(chunk))) {
    if (entry.kind === 'article') yield parseBackupArticle(entry.value, entry.index);
  }
  if (hash.digest('hex') !== check.sha256) throw invalid('The backup file changed while it was being restored; nothing was restored. Try again.');
}

/** A time limit for checking a backup file in the worker: reading it is ~100 MB/s here; zod adds about as much. */
export async function backupCheckTimeLimitMs(file: string, floorMs: number): Promise<number> {
  const { size } = await stat(file);
  return Math.max(floorMs, Math.ceil(size / (4 * 1024 * 1024)) * 1000);
}
