/**
 * The command line: `npm run gloss -- <command>` (built to out/main/cli.js; run it as `node out/main/cli.js ...`).
 *
 * It opens the notebook folder through the same core as the app (Notebook.open, with the folder lock), so it refuses
 * while the desktop app or browser mode holds the notebook, naming who does. Exit codes: 0 done, 1 failed (the message
 * says what and why; for several files, the others were still imported), 2 wrong usage.
 */
import { existsSync } from 'node:fs';
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { HIGHLIGHT_COLORS, TOOL_IMPORT_FORMATS, type ExportGroupBy, type ExportOptions, type HighlightColor, type ImportFormat, type RestoreMode, type RestoreResult, type ToolImportFormat } from '../contract';
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
             --from T         the files are another tool's export, T one of: kindle (My Clippings.txt), readwise
                              (CSV), hypothesis (API JSON), omnivore (export zip); highlights, notes and tags
                              land on matching articles or new ones, and a report says what was not matched
             --gloss-export   each FILE is a Gloss Markdown export (a .md file, or a folder export: its .md files):
                              its articles, quotes, notes, tags and colours come back (onto the article they name,
                              or one with their source, else made from the export)
  search   Search the notebook: gloss search QUERY... (the words are joined into one query). Words in any order,
           "a phrase" (quote it for the shell: '"white whale"'), -word to leave out, tag:T, color:C and article:ID
           filters; accents, case and curly quotes do not matter. Ranked: titles and highlights first. Put the query
           after -- when it has a -word: gloss search --data-dir D -- whale -ahab
             --offset N       skip the first N results (paging)
             --limit N        show at most N results (default 20, at most 200)
             --json           the result as JSON ({ total, offset, limit, matches })
  help     Show this help.

Common options:
  --data-dir D     the notebook folder (default: GLOSS_DATA_DIR, else the desktop app's notebook)
  -h, --help       show this help

Examples:
  gloss export --data-dir ~/notebook --out ~/Vault/Gloss --tag method
  gloss import article.html notes.md annotations.jsonld --data-dir ~/notebook
  gloss import paper.pdf --password s3cret --data-dir ~/notebook
  gloss search natasha '"white whale"' tag:method --data-dir ~/notebook
  gloss import "My Clippings.txt" --from kindle --data-dir ~/notebook
  gloss import --gloss-export ~/Vault/Gloss --data-dir ~/fresh-notebook
  gloss export --format bibtex --out library.bib --data-dir ~/notebook`;

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
        offset: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        from: { type: 'string' },
        'gloss-export': { type: 'boolean', default: false },
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
  const { INDEX_FILE, NOTEBOOK_FILE, Notebook } = await import('../notebook/notebook');
  const dataDir = resolveDataDir(values['data-dir']);
  // notebook.json (format 2) or gloss-index.json (format 1, migrated on open) says a folder is a notebook.
  if (mustExist && !existsSync(path.join(dataDir, NOTEBOOK_FILE)) && !existsSync(path.join(dataDir, INDEX_FILE))) {
    throw new GlossError('not_found', `There is no Gloss notebook at ${dataDir} (no ${NOTEBOOK_FILE}); check --data-dir.`);
  }
  return Notebook.open(dataDir, { owner: `the gloss command line (pid ${process.pid})`, watch: false });
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
  if (!['markdown', 'annotations', 'backup', 'bibtex', 'csl-json'].includes(format)) {
    throw new UsageError(`--format ${format}: use markdown, annotations, backup, bibtex or csl-json.`);
  }
  const options = await exportOptions(values);
  const notebook = await openNotebook(values, true);
  try {
    if (format === 'bibtex' || format === 'csl-json') {
      const text = await notebook.exportCitations({ format, ...(options.articleIds && { articleIds: options.articleIds }) });
      if (out === '-') process.stdout.write(text);
      else {
        await writeFile(path.resolve(out), text, 'utf8');
        console.error(`gloss: wrote ${format === 'bibtex' ? 'BibTeX' : 'CSL-JSON'} to ${path.resolve(out)}`);
      }
      return 0;
    }
    if (format === 'backup') {
      // Article by article, to the file or to standard output: a large library's backup is never one string.
      if (out === '-') {
        await pipeline(Readable.from(notebook.backupJson()), process.stdout, { end: false });
        return 0;
      }
      const written = await notebook.writeBackupTo(path.resolve(out));
      console.error(`gloss: wrote a backup of ${written.articles} article${written.articles === 1 ? '' : 's'} to ${written.path}`);
      return 0;
    }
    if (format !== 'markdown') {
      const json = `${JSON.stringify(await notebook.exportAnnotations(options), null, 2)}\n`;
      if (out === '-') process.stdout.write(json);
      else {
        await writeFile(path.resolve(out), json, 'utf8');
        console.error(`gloss: wrote W3C annotations to ${path.resolve(out)}`);
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
    for (const r of result.renamed ?? []) console.error(`gloss: ${r.from} is now ${r.to} (the article's title changed)`);
    for (const s of result.stale) console.error(`gloss: ${s} is an older export of a renamed article that was edited; kept (delete it if you like)`);
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
  if (values.from !== undefined) return runToolImport(values, files);
  if (values['gloss-export']) return runGlossExportImport(values, files);
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

/** `import --gloss-export FILE|DIR...`: each argument is one export (a file, or a folder export's .md files). */
async function runGlossExportImport(values: Parsed['values'], args: string[]): Promise<number> {
  const notebook = await openNotebook(values, false);
  let failed = 0;
  try {
    for (const arg of args) {
      try {
        const isDir = (await stat(arg)).isDirectory();
        const names = isDir ? (await readdir(arg)).filter((n) => n.toLowerCase().endsWith('.md')).sort() : [path.basename(arg)];
        if (names.length === 0) {
          // A folder export whose filters matched nothing has only its manifest: nothing to import, and nothing wrong.
          if (isDir && existsSync(path.join(arg, '.gloss-export.json'))) {
            console.log(`Nothing to import from ${arg}: the export holds no article.`);
            continue;
          }
          throw new GlossError('invalid_input', 'the folder holds no .md file');
        }
        const files = await Promise.all(names.map(async (name) => ({ name, content: await readFile(isDir ? path.join(arg, name) : arg, 'utf8') })));
        const r = await notebook.importMarkdownExport(files);
        for (const a of r.articles) {
          const how = a.created ? 'made from the export' : 'onto the article already here';
          console.log(`"${a.title}" (${a.id}), ${how}: ${a.imported} anchored, ${a.orphaned} orphaned (kept), ${a.skipped} already there`);
        }
        console.log(`Imported ${arg}: ${r.articles.length} article${r.articles.length === 1 ? '' : 's'}, ${r.imported} highlights anchored, ${r.orphaned} orphaned, ${r.skipped} skipped`);
      } catch (error) {
        failed += 1;
        const code = (error as NodeJS.ErrnoException).code;
        console.error(`gloss: ${arg}: ${code === 'ENOENT' ? 'no such file or folder' : messageOf(error)}`);
      }
    }
  } finally {
    await notebook.close();
  }
  return failed > 0 ? 1 : 0;
}

async function importOne(notebook: Notebook, file: string, format: ImportFormat | 'json', values: Parsed['values']): Promise<string> {
  if (format === 'json' && (await startsLikeBackup(file))) {
    // Read article by article (a 10,000-article backup is more than one string can hold), validated whole first.
    const mode = values.replace ? 'replace' : 'merge';
    const r = await notebook.restoreFromFile(path.resolve(file), { mode });
    return restoredMessage(file, mode, r);
  }
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
    return restoredMessage(file, mode, await notebook.restoreNotebook(json, { mode }));
  }
  const articleId = values.article?.[0];
  const r = await notebook.importAnnotations(json, articleId ? { articleId } : {});
  return `Imported annotations from ${file}: ${r.imported} anchored, ${r.orphaned} orphaned (quote not found, kept), ${r.skipped} skipped (no matching article or already present)`;
}

function restoredMessage(file: string, mode: RestoreMode, r: RestoreResult): string {
  const saved = r.safetyBackup ? ` (the notebook as it was is saved in ${r.safetyBackup})` : '';
  return `Restored ${file} (${mode}): ${r.articles} articles and ${r.highlights} highlights added or changed, ${r.skipped} skipped${saved}`;
}

/** A Gloss backup names its format first (ours, compact or pretty-printed): the first bytes are enough to tell. */
async function startsLikeBackup(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    return new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${BACKUP_FORMAT}"`).test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

function wholeNumber(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}

async function runSearch(values: Parsed['values'], words: string[]): Promise<number> {
  const query = words.join(' ').trim();
  if (!query) throw new UsageError('search needs a query: gloss search WORDS...');
  const page = { offset: wholeNumber(values.offset, 'offset', 0, 1_000_000), limit: wholeNumber(values.limit, 'limit', 1, 200) };
  const notebook = await openNotebook(values, true);
  try {
    const result = await notebook.search(query, {}, page);
    if (values.json) {
      console.log(JSON.stringify(result, null, 2));
      return 0;
    }
    const shown = result.matches.length ? `, ${result.offset + 1}-${result.offset + result.matches.length} shown` : '';
    console.log(`${result.total} result${result.total === 1 ? '' : 's'}${shown}`);
    for (const problem of result.problems ?? []) console.log(`note: ${problem}`);
    for (const m of result.matches) {
      const where = m.highlightId ? `highlight ${m.highlightId}` : `${m.start}-${m.end}`;
      console.log(`${m.kind}\t${m.articleTitle} (${m.articleId}) ${where}\n\t${m.snippet}`);
    }
    return 0;
  } finally {
    await notebook.close();
  }
}

/** `gloss import --from kindle|readwise|hypothesis|omnivore FILE...`: another tool's export, with its report. */
async function runToolImport(values: Parsed['values'], files: string[]): Promise<number> {
  const from = values.from as ToolImportFormat;
  if (!(TOOL_IMPORT_FORMATS as readonly string[]).includes(from)) throw new UsageError(`--from ${from}: use ${TOOL_IMPORT_FORMATS.join(', ')}.`);
  const notebook = await openNotebook(values, false);
  let failed = 0;
  try {
    for (const file of files) {
      try {
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (error) {
          throw new GlossError('invalid_input', `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        }
        const r = await notebook.importAnnotationsFrom({ format: from, contentBase64: bytes.toString('base64'), fileName: path.basename(file) });
        console.log(
          `Imported ${file}: ${r.highlights} highlight${r.highlights === 1 ? '' : 's'} anchored, ${r.orphaned} orphaned (quote not found, kept), ${r.skipped} skipped; ${r.articlesCreated} article${r.articlesCreated === 1 ? '' : 's'} made, ${r.articlesMatched} matched`,
        );
        for (const p of r.problems) console.error(`gloss: ${file}: ${p}`);
        if (r.problemsOmitted) console.error(`gloss: ${file}: and ${r.problemsOmitted} more`);
      } catch (error) {
        failed += 1;
        console.error(`gloss: ${file}: ${messageOf(error)}`);
      }
    }
  } finally {
    await notebook.close();
  }
  return failed > 0 ? 1 : 0;
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
    if (command === 'search') return await runSearch(values, rest);
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
