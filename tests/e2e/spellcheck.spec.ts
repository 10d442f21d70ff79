/**
 * Spell checking is a preference, off by default (issue 13 item 8): Chromium's checker downloads Hunspell dictionaries
 * from Google's servers on Windows and Linux. Off, every field of the page has spellcheck false; the Preferences
 * dialog says what turning it on does; the choice is kept in the notebook.
 */
import { test, expect } from './fixtures';

/** The spellcheck state a new text field on the page inherits (what a note or tag field gets). */
const fieldSpellcheck = () =>
  (() => {
    const field = document.createElement('textarea');
    document.body.append(field);
    const state = field.spellcheck;
    field.remove();
    return state;
  })();

test('spell checking is off until chosen in Preferences, which says dictionaries come from Google; the choice is kept', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await expect.poll(() => page.evaluate(fieldSpellcheck)).toBe(false);

  await page.getByRole('button', { name: 'Preferences' }).click();
  const prefs = page.getByRole('dialog', { name: 'Preferences' });
  const box = prefs.getByRole('checkbox', { name: 'Check spelling as you type' });
  await expect(box).not.toBeChecked();
  await expect(box).toHaveAccessibleDescription(/downloads spelling dictionaries from Google’s servers/);
  await box.check();
  await expect.poll(() => page.evaluate(fieldSpellcheck)).toBe(true);
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.spellcheck).toBe(true);

  await page.reload();
  await expect.poll(() => page.evaluate(fieldSpellcheck)).toBe(true);
  await page.getByRole('button', { name: 'Preferences' }).click();
  await prefs.getByRole('checkbox', { name: 'Check spelling as you type' }).uncheck();
  await expect.poll(() => page.evaluate(fieldSpellcheck)).toBe(false);
  await expect.poll(async () => (await gloss.api('getSettings')).ui?.spellcheck).toBe(false);

  const bad = await gloss.raw('updateSettings', [{ ui: { spellcheck: 'yes' } }]);
  expect(bad.status).toBe(400);
});
