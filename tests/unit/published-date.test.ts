/**
 * Published dates (issue 12 item 7): checked where the user sets one (the API schema, the core), never on load, so a
 * notebook holding a date an older version stored ("70113-02-01") still opens and shows it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishedDateProblem } from '../../electron/contract';
import { Notebook } from '../../electron/notebook/notebook';
import { parseArgs } from '../../electron/schemas';

const meta = (publishedAt: string) => () => parseArgs('updateArticleMeta', ['a1', { publishedAt }]);

describe('the updateArticleMeta schema', () => {
  it('accepts ISO calendar dates and full date-times, and an empty string (which clears the date)', () => {
    for (const ok of ['2017-01-13', '2016-02-29', '1000-01-01', '9999-12-31', '2017-01-13T09:30Z', '2017-01-13T09:30:15.123+05:30', '2017-01-13T23:59:59Z', '']) {
      expect(meta(ok), ok).not.toThrow();
    }
  });

  it('refuses what is not a real date, saying what is wrong and the expected form', () => {
    const form = 'Use the form YYYY-MM-DD, for example 2017-01-13.';
    expect(meta('70113-02-01')).toThrow(`The year 70113 is not between 1000 and 9999. ${form}`);
    expect(meta('0999-12-31')).toThrow('The year 0999 is not between 1000 and 9999.');
    expect(meta('2017-02-30')).toThrow(`February 2017 has no day 30 (it has 28 days). ${form}`);
    expect(meta('2017-02-29')).toThrow('February 2017 has no day 29 (it has 28 days).');
    expect(meta('2017-04-31')).toThrow('April 2017 has no day 31 (it has 30 days).');
    expect(meta('2017-00-10')).toThrow('"00" is not a month (01 to 12).');
    expect(meta('2017-13-01')).toThrow('"13" is not a month (01 to 12).');
    expect(meta('2017-01-13T24:00Z')).toThrow('has no such time of day');
    expect(meta('2017-01-13T10:00+15:00')).toThrow('"+15:00" is not a time zone offset');
    for (const words of ['13/01/2017', 'Jan 13, 2017', '2017-1-13', '20170113', '2017-01-13 09:30', 'yesterday']) {
      expect(meta(words), words).toThrow(`"${words}" is not a date. ${form}`);
    }
  });

  it('names the method and the field, as every refusal does', () => {
    expect(meta('2017-02-30')).toThrow(/^updateArticleMeta: argument 2 \(publishedAt\): February/);
  });

  it('publishedDateProblem is the one rule the dialog and the core share', () => {
    expect(publishedDateProblem('2017-01-13')).toBeUndefined();
    expect(publishedDateProblem('2017-02-30')).toMatch(/no day 30/);
  });
});

describe('the notebook', () => {
  let dir: string;
  let notebook: Notebook;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-date-'));
    notebook = await Notebook.open(dir);
  });
  afterEach(async () => {
    await notebook.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an impossible date without writing, and clears the date on an empty one', async () => {
    const a = await notebook.importArticle({ format: 'text', content: 'Tides\n\nLow water.' });
    await expect(notebook.updateArticleMeta(a.id, { publishedAt: '2017-02-30' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'The published date was not saved: February 2017 has no day 30 (it has 28 days). Use the form YYYY-MM-DD, for example 2017-01-13.',
    });
    expect((await notebook.getArticle(a.id)).publishedAt).toBeUndefined();
    expect((await notebook.updateArticleMeta(a.id, { publishedAt: '2017-01-13' })).publishedAt).toBe('2017-01-13');
    expect((await notebook.updateArticleMeta(a.id, { publishedAt: '' })).publishedAt).toBeUndefined();
  });

  it('still opens and shows a date stored before the rule, and edits of other fields leave it alone', async () => {
    const a = await notebook.importArticle({ format: 'markdown', content: '---\ntitle: Tides\ndate: 70113-02-01\n---\n\nLow water.\n' });
    expect(a.publishedAt).toBe('70113-02-01');
    await notebook.close();
    notebook = await Notebook.open(dir);
    expect((await notebook.listArticles())[0].publishedAt).toBe('70113-02-01');
    expect((await notebook.updateArticleMeta(a.id, { title: 'Tide tables' })).publishedAt).toBe('70113-02-01');
  });
});
