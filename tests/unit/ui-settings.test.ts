/** The notebook keeps the reader's preferences and places (Settings.ui): merged patch by patch, on disk across reopen. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notebook } from '../../electron/notebook/notebook';
import { mergeUiSettings } from '../../electron/notebook/ui-settings';
import { parseArgs } from '../../electron/schemas';

describe('ui settings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-ui-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('merges field by field and scroll positions article by article, dropping those of unknown articles', () => {
    const known = new Set(['a', 'b']);
    const merged = mergeUiSettings({ theme: 'dark', scroll: { a: 0.2, gone: 0.5 } }, { fontSize: 20, scroll: { b: 0.7 } }, (id) => known.has(id));
    expect(merged).toEqual({ theme: 'dark', fontSize: 20, scroll: { a: 0.2, b: 0.7 } });
    expect(mergeUiSettings(undefined, { theme: 'light' }, () => true)).toEqual({ theme: 'light' });
  });

  it('survives closing and reopening the notebook, next to the colour labels', async () => {
    const seed = path.resolve(__dirname, '../../resources/sample-article.txt');
    let notebook = await Notebook.open(dir, { seedArticlePath: seed });
    const [sample] = await notebook.listArticles();
    await notebook.updateSettings({ colorLabels: { green: 'evidence' } });
    await notebook.updateSettings(parseArgs('updateSettings', [{ ui: { theme: 'dark', typeface: 'mono', lastRoute: `#/article/${sample.id}` } }])[0]);
    await notebook.updateSettings({ ui: { scroll: { [sample.id]: 0.25 } } });
    await notebook.close();
    notebook = await Notebook.open(dir, { seedArticlePath: seed });
    expect(await notebook.getSettings()).toEqual({
      colorLabels: { green: 'evidence' },
      ui: { theme: 'dark', typeface: 'mono', lastRoute: `#/article/${sample.id}`, scroll: { [sample.id]: 0.25 } },
    });
    await notebook.close();
  });

  it('a backup and restore keep the preferences exactly', async () => {
    const seed = path.resolve(__dirname, '../../resources/sample-article.txt');
    let notebook = await Notebook.open(dir, { seedArticlePath: seed });
    await notebook.updateSettings({ colorLabels: { blue: 'method' }, ui: { theme: 'light', fontSize: 22, lineWidth: 'wide' } });
    const backup = await notebook.backupNotebook();
    await notebook.updateSettings({ ui: { theme: 'dark', fontSize: 14 } });
    await notebook.restoreNotebook(JSON.parse(JSON.stringify(backup)), { mode: 'replace' });
    expect((await notebook.getSettings()).ui).toEqual({ theme: 'light', fontSize: 22, lineWidth: 'wide' });
    await notebook.close();
    notebook = await Notebook.open(dir);
    expect(await notebook.backupNotebook()).toEqual(backup);
    await notebook.close();
  });

  it('never takes the spell checker (a download from Google) from a backup file, only from the user here', async () => {
    const notebook = await Notebook.open(dir);
    const backup = JSON.parse(JSON.stringify(await notebook.backupNotebook()));
    backup.settings.ui = { ...backup.settings.ui, spellcheck: true, fontSize: 20 };
    await notebook.restoreNotebook(backup, { mode: 'replace' });
    expect((await notebook.getSettings()).ui).toEqual({ fontSize: 20 });
    await notebook.restoreNotebook(backup, { mode: 'merge' });
    expect((await notebook.getSettings()).ui?.spellcheck).toBeUndefined();
    await notebook.updateSettings({ ui: { spellcheck: true } }); // the user's own choice holds through a replace
    backup.settings.ui.spellcheck = false;
    await notebook.restoreNotebook(backup, { mode: 'replace' });
    expect((await notebook.getSettings()).ui?.spellcheck).toBe(true);
    await notebook.close();
  });

  it('refuses out-of-range values, naming them', () => {
    expect(() => parseArgs('updateSettings', [{ ui: { fontSize: 8 } }])).toThrow(/font size is at least 12/);
    expect(() => parseArgs('updateSettings', [{ ui: { lineWidth: 'huge' } }])).toThrow(/lineWidth/);
    expect(() => parseArgs('updateSettings', [{ ui: { lastRoute: 'https://evil.example/' } }])).toThrow(/route starts with #\//);
    expect(() => parseArgs('updateSettings', [{ ui: { unknown: 1 } }])).toThrow();
    expect(() => parseArgs('updateSettings', [{ ui: { notesWidth: 100 } }])).toThrow(/notes panel is at least 240 pixels/);
    expect(() => parseArgs('updateSettings', [{ ui: { notesWidth: 400.5 } }])).toThrow(/whole number of pixels/);
    expect(parseArgs('updateSettings', [{ ui: { notesWidth: 420 } }])[0]).toEqual({ ui: { notesWidth: 420 } });
  });
});
