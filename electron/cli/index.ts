/**
 * The command line: `npm run gloss -- <command>` (built to out/main/cli.js; run it as `node out/main/cli.js ...`).
 *
 * It opens the notebook folder through the same core as the app (Notebook.open, with the folder lock), so it refuses
 * while the desktop app or browser mode holds the notebook, naming who does. Exit codes: 0 done, 1 failed (the message
 * says what and why; for several files, the others were still imported), 2 wrong usage.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HIGHLIGHT_COLORS, type ExportGroupBy, type ExportOptions, type HighlightColor, type ImportFormat } from '../contract';
import { GlossError } from '../notebook/errors';
import { BACKUP_FORMAT } from '../notebook/export/backup';
import type { Notebook } from '../notebook/notebook';
import { resolveDataDir } from '../notebook/paths';

const USAGE = `Usage: gloss <command> [options]

Commands:
  export   Export the notebook's notes.
             --out DIR        one Markdown file per article into DIR, updated in place on re-runs; files you
                              edited are never overwritten (the export goes to "<name>.conflict-N.md" instead)
             --out -          one Markdown document on standard output
             --format F       markdown (default), annotations (W3C Web Annotation JSON-LD) or backup (the whole
                              notebook as JSON); for annotations and backup, --out is a FILE (or - for stdout)
             --tag T          only highlights with tag T (repeatable: any of them)
             --color C        only highlights of colour C (repeatable): ${HIGHLIGHT_COLORS.join(', ')}
             --article ID     only this article (repeatable)
             --group-by G     document (default), tag or color
             --template FILE  a Mustache template (variables: see the Export dialog or export/template.ts)
  import   Import FILE... by extension: .html .htm (web page), .md .markdown (Markdown), .txt (plain text),
           .pdf (PDF: the original is kept in the notebook, its own highlights come in too),
           .epub (a book: its chapters as one document, its table of contents for the outline),
           .json (W3C Web Annotations, e.g. from Hypothesis, onto the article with their source URL; or a Gloss
           backup, merged in).
             --password P     the password of an encrypted PDF
             --article ID     put imported annotations on this article instead of matching by source URL
             --replace        restore a Gloss backup by replacing the notebook instead of merging
  help     Show this help.

Common options:
  --data-dir D     the notebook folder (default: GLOSS_DATA_DIR, else the desktop app's notebook)
  -h, --help       show this help

Examples:
  gloss export --data-dir ~/notebook --out ~/Vault/Gloss --tag method
  gloss import article.html notes.md annotations.jsonld --data-dir ~/notebook
  gloss import paper.pdf --password s3cret --data-dir ~/notebook`;

class UsageError extends Error {}

const EXTENSIONS: Record<string, ImportFormat | 'json'> = {
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.json': 'json',
  '.jsonld': 'json',
  '.pdf': 'pdf',
  '.epub': 'epub',
};

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        out: { type: 'string', short: 'o' },
        format: { type: 'string' },
        tag: { type: 'string', multiple: true },
        color: { type: 'string', multiple: true },
        article: { type: 'string', multiple: true },
        'group-by': { type: 'string' },
        template: { type: 'string' },
        replace: { type: 'boolean', default: false },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

type Parsed = ReturnType<typeof parse>;

async function openNotebook(values: Parsed['values'], mustExist: boolean): Promise<Notebook> {
  // Loaded on demand: the core pulls in jsdom and friends, which --help and usage errors do not need.
  const { INDEX_FILE, Notebook } = await import('../notebook/notebook');
  const dataDir = resolveDataDir(values['data-dir']);
  if (mustExist && !existsSync(path.join(dataDir, INDEX_FILE))) {
    throw new GlossError('not_found', `There is no Gloss notebook at ${dataDir} (no ${INDEX_FILE}); check --data-dir.`);
  }
  return Notebook.open(dataDir, { owner: `the gloss command line (pid ${process.pid})` });
}

async function exportOptions(values: Parsed['values']): Promise<ExportOptions> {
  const colors = values.color ?? [];
  const bad = colors.filter((c) => !(HIGHLIGHT_COLORS as readonly string[]).includes(c));
  if (bad.length) throw new UsageError(`--color ${bad.join(', ')}: colours are ${HIGHLIGHT_COLORS.join(', ')}.`);
  const groupBy = values['group-by'];
  if (groupBy !== undefined && !['document', 'tag', 'color'].includes(groupBy)) {
    throw new UsageError(`--group-by ${groupBy}: use document, tag or color.`);
  }
  const options: ExportOptions = {};
  if (values.tag?.length) options.tags = values.tag.map((t) => t.trim()).filter(Boolean);
  if (colors.length) options.colors = colors as HighlightColor[];
  if (values.article?.length) options.articleIds = values.article;
  if (groupBy) options.groupBy = groupBy as ExportGroupBy;
  if (values.template !== undefined) {
    try {
      options.template = await readFile(values.template, 'utf8');
    } catch (error) {
      throw new GlossError('invalid_input', `Cannot read the template ${values.template}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }
  return options;
}

async function runExport(values: Parsed['values']): Promise<number> {
  const out = values.out;
  if (!out) throw new UsageError('export needs --out DIR (or --out - for standard output).');
  const format = values.format ?? 'markdown';
  if (!['markdown', 'annotations', 'backup'].includes(format)) throw new UsageError(`--format ${format}: use markdown, annotations or backup.`);
  const options = await exportOptions(values);
  const notebook = await openNotebook(values, true);
  try {
    if (format !== 'markdown') {
      const data = format === 'backup' ? await notebook.backupNotebook() : await notebook.exportAnnotations(options);
      const json = `${JSON.stringify(data, null, 2)}\n`;
      if (out === '-') process.stdout.write(json);
      else {
        await writeFile(path.resolve(out), json, 'utf8');
        console.error(`gloss: wrote ${format === 'backup' ? 'a backup' : 'W3C annotations'} to ${path.resolve(out)}`);
      }
      return 0;
    }
    if (out === '-') {
      process.stdout.write(await notebook.exportMarkdown(options));
      return 0;
    }
    const dir = path.resolve(out);
    const result = await notebook.exportToFolder(dir, options);
    for (const c of result.conflicts) {
      const why = c.reason === 'edited' ? 'was edited since the last export' : 'is not a file Gloss wrote';
      console.error(`gloss: kept ${c.file} (it ${why}); wrote ${c.writtenTo} instead`);
    }
    for (const s of result.stale) console.error(`gloss: ${s} is an older export of a renamed article; kept (delete it if you like)`);
    const total = result.written.length + result.unchanged.length;
    console.log(
      `Exported ${total} article${total === 1 ? '' : 's'} to ${dir}: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.conflicts.length} conflict${result.conflicts.length === 1 ? '' : 's'}.`,
    );
    return 0;
  } finally {
    await notebook.close();
  }
}

async function runImport(values: Parsed['values'], files: string[]): Promise<number> {
  if (files.length === 0) throw new UsageError('import needs at least one FILE.');
  const formats = files.map((file) => {
    const format = EXTENSIONS[path.extname(file).toLowerCase()];
    if (!format) throw new UsageError(`Cannot import ${file}: use .html, .htm, .md, .markdown, .txt, .pdf, .epub or .json.`);
    return format;
  });
  const notebook = await openNotebook(values, false);
  let failed = 0;
  try {
    for (const [i, file] of files.entries()) {
      try {
        console.log(await importOne(notebook, file, formats[i], values));
      } catch (error) {
        failed += 1;
        console.error(`gloss: ${file}: ${messageOf(error)}`);
      }
    }
  } finally {
    await notebook.close();
  }
  if (failed > 0 && files.length > 1) console.error(`gloss: ${failed} of ${files.length} files were not imported.`);
  return failed > 0 ? 1 : 0;
}

async function importOne(notebook: Notebook, file: string, format: ImportFormat | 'json', values: Parsed['values']): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new GlossError('invalid_input', `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (format === 'pdf') {
    // As bytes, never one base64 string: a PDF may be hundreds of MB.
    const request = { format, fileName: path.basename(file), ...(values.password !== undefined && { password: values.password }) };
    const summary = await notebook.importFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), request);
    const n = summary.importedHighlights ?? 0;
    const found = n > 0 ? `, with ${n} highlight${n === 1 ? '' : 's'} from the file` : '';
    return `Imported "${summary.title}" (${summary.id}) from ${file}${found}`;
  }
  if (format === 'epub') {
    const summary = await notebook.importFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { format, fileName: path.basename(file) });
    const chapters = (await notebook.getArticle(summary.id)).toc?.length ?? 0;
    return `Imported "${summary.title}" (${summary.id}) from ${file}, ${chapters} entr${chapters === 1 ? 'y' : 'ies'} in its table of contents`;
  }
  if (format !== 'json') {
    const summary = await notebook.importArticle({ format, contentBase64: bytes.toString('base64'), fileName: path.basename(file) });
    return `Imported "${summary.title}" (${summary.id}) from ${file}`;
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new GlossError('invalid_input', `is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === BACKUP_FORMAT) {
    const mode = values.replace ? 'replace' : 'merge';
    const r = await notebook.restoreNotebook(json, { mode });
    const saved = r.safetyBackup ? ` (the notebook as it was is saved in ${r.safetyBackup})` : '';
    return `Restored ${file} (${mode}): ${r.articles} articles and ${r.highlights} highlights added or changed, ${r.skipped} skipped${saved}`;
  }
  const articleId = values.article?.[0];
  const r = await notebook.importAnnotations(json, articleId ? { articleId } : {});
  return `Imported annotations from ${file}: ${r.imported} anchored, ${r.orphaned} orphaned (quote not found, kept), ${r.skipped} skipped (no matching article or already present)`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      console.log(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command === 'export') {
      if (rest.length) throw new UsageError(`export takes no file arguments (got ${rest.join(' ')}); use --out DIR.`);
      return await runExport(values);
    }
    if (command === 'import') return await runImport(values, rest);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`gloss: ${error.message}\nRun "gloss --help" for usage.`);
      return 2;
    }
    console.error(`gloss: ${messageOf(error)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`gloss: ${messageOf(error)}`);
    process.exitCode = 1;
  },
);
