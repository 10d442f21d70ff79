/**
 * Accessibility (issue 8): axe-core finds no serious or critical violation on the library, and on the reader with
 * highlights and the notes panel open, in light and in dark; focus is visible; every highlight colour keeps its text at
 * WCAG AA contrast in both themes (read from the built page's real CSS); and a screen reader hears which highlight the
 * caret is in (the CSS Custom Highlight API paints nothing into the accessibility tree).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { HIGHLIGHT_COLORS } from '../../electron/contract';
import { test, expect, paintedQuotes, selectText, type GlossServer } from './fixtures';

const SCHEMES = ['light', 'dark'] as const;

/** Serious and critical violations, as "rule: target" lines, so a failure names what to fix. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary ?? v.help}`));
}

/** Highlights in every colour, one nested in another, with tags and a note. */
async function seedHighlights(gloss: GlossServer): Promise<string> {
  const [sample] = await gloss.api('listArticles');
  const { text } = await gloss.api('getArticle', sample.id);
  const add = (quote: string, color: string, extra: object = {}) => {
    const start = text.indexOf(quote);
    if (start < 0) throw new Error(`"${quote}" is not in the sample`);
    return gloss.api('addHighlight', sample.id, { start, end: start + quote.length, color, ...extra });
  };
  await add('vowing to retaliate against the US', 'yellow', { tags: ['claims'], note: 'The core threat.' });
  await add('Khamenei met with Iraqi Prime Minister Mustafa al-Kadhimi', 'green');
  await add('will definitely strike a retaliatory blow to the Americans', 'pink');
  await add('retaliatory blow', 'blue');
  await add('strict self-isolation', 'purple');
  return sample.id;
}

test('axe finds no serious or critical violation on the library and the reader, in light and dark; focus is visible', async ({ page, gloss }) => {
  test.setTimeout(120_000); // eight axe runs on a loaded two-core machine
  const id = await seedHighlights(gloss);
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${gloss.url}#/`);
    await expect(page.getByRole('link', { name: /Iran will never forget/ })).toBeVisible();
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
    expect(await seriousViolations(page), `library, ${scheme}`).toEqual([]);

    // Focus is visible: the first Tab from the top lands on a link with a real outline (not the browser's none).
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { tag: document.activeElement!.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(outline.style).not.toBe('none');
    expect(outline.width).toBeGreaterThanOrEqual(2);

    await page.goto(`${gloss.url}#/article/${id}`);
    const notes = page.getByRole('complementary', { name: 'Notes' });
    for (const quote of ['vowing to retaliate', 'Mustafa al-Kadhimi', 'will definitely strike', 'retaliatory blow', 'strict self-isolation']) {
      await expect(notes.getByRole('listitem').filter({ hasText: quote }).first()).toBeVisible();
    }
    await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: ['vowing to retaliate against the US'], blue: ['retaliatory blow'] });
    expect(await seriousViolations(page), `reader with notes, ${scheme}`).toEqual([]);

    // The Preferences dialog, open over the reader.
    await page.keyboard.press('Control+,');
    const prefs = page.getByRole('dialog', { name: 'Preferences' });
    await expect(prefs).toBeVisible();
    expect(await seriousViolations(page), `preferences, ${scheme}`).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(prefs).toBeHidden();
  }
});

/** WCAG 2.x relative luminance and contrast ratio of two opaque sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const lum = ([r, g, b]: number[]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `rgb(…)`/`rgba(…)` as [r, g, b, alpha]. */
function parseRgb(css: string): number[] {
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}

/** `top` (possibly translucent) painted over the opaque `under`. */
const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]));

test('every highlight colour keeps its text at WCAG AA contrast (4.5:1) in light and dark, overlaps included', async ({ page, gloss }) => {
  await page.goto(`${gloss.url}#/`);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // The page's own variables, resolved by the browser: a probe element takes each one as its colour.
    const resolved = await page.evaluate((colors) => {
      const probe = document.createElement('span');
      document.body.append(probe);
      const read = (value: string) => {
        probe.style.color = value;
        return getComputedStyle(probe).color;
      };
      const out = {
        text: read('var(--hl-text)'),
        page: read('var(--bg)'),
        overlap: read('var(--overlap-shade)'),
        focus: read('var(--focus-shade)'),
        backgrounds: Object.fromEntries(colors.map((c) => [c, read(`var(--hl-${c})`)])),
      };
      probe.remove();
      return out;
    }, [...HIGHLIGHT_COLORS]);
    const text = parseRgb(resolved.text);
    const pageBg = parseRgb(resolved.page);
    expect(text[3], `--hl-text is opaque in ${scheme}`).toBe(1);
    for (const color of HIGHLIGHT_COLORS) {
      const background = over(parseRgb(resolved.backgrounds[color]), pageBg);
      const plain = contrast(text, background);
      expect(plain, `${color} in ${scheme}: ${resolved.text} on ${resolved.backgrounds[color]}`).toBeGreaterThanOrEqual(4.5);
      // Where highlights overlap, a translucent shade darkens the innermost colour: the text must still read.
      const shaded = contrast(text, over(parseRgb(resolved.overlap), background));
      expect(shaded, `${color} under an overlap in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      // A card hovered or focused shades its highlight again, overlap or not.
      const emphasized = contrast(text, over(parseRgb(resolved.focus), background));
      expect(emphasized, `${color} emphasized in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      const both = contrast(text, over(parseRgb(resolved.focus), over(parseRgb(resolved.overlap), background)));
      expect(both, `${color} emphasized under an overlap in ${scheme}`).toBeGreaterThanOrEqual(4.5);
    }
  }
  // The themes really differ (a test that read the same variables twice would prove nothing).
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--hl-yellow'));
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--hl-yellow'));
  expect(light.trim()).not.toBe(dark.trim());
});

test('a highlight nested in another colour is painted visibly apart from it, in light and dark, its text still at 4.5:1', async ({ page, gloss }) => {
  const id = await seedHighlights(gloss); // blue "retaliatory blow" inside pink, among the five colours
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ blue: ['retaliatory blow'] });
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // What the page really paints: each ::highlight() rule's computed background, read off the article.
    const painted = await page.evaluate((colors) => {
      const article = document.querySelector('article.reader-article')!;
      const bg = (name: string) => getComputedStyle(article, `::highlight(${name})`).backgroundColor;
      return {
        text: getComputedStyle(article, '::highlight(gloss-nested-blue)').color,
        page: getComputedStyle(document.body).backgroundColor,
        overlap: bg('gloss-overlap'),
        focus: bg('gloss-focus'),
        outer: Object.fromEntries(colors.map((c) => [c, bg(`gloss-${c}`)])),
        nested: Object.fromEntries(colors.map((c) => [c, bg(`gloss-nested-${c}`)])),
      };
    }, [...HIGHLIGHT_COLORS]);
    const pageBg = parseRgb(painted.page);
    const text = parseRgb(painted.text);
    for (const inner of HIGHLIGHT_COLORS) {
      const nested = over(parseRgb(painted.overlap), over(parseRgb(painted.nested[inner]), pageBg));
      expect(contrast(text, nested), `text on nested ${inner} in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, over(parseRgb(painted.focus), nested)), `text on focused nested ${inner} in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      for (const outer of HIGHLIGHT_COLORS) {
        if (outer === inner) continue;
        // Apart in lightness, not only in hue: a reader without colour vision, or on a washed-out screen, still sees it.
        const around = over(parseRgb(painted.outer[outer]), pageBg);
        expect(contrast(around, nested), `${inner} nested in ${outer} (${scheme}): ${painted.nested[inner]} in ${painted.outer[outer]}`).toBeGreaterThanOrEqual(1.25);
      }
    }
  }
});

test('a screen reader hears which highlights the caret or selection is in, with colour label, tags and note', async ({ page, gloss }) => {
  const id = await seedHighlights(gloss);
  await gloss.api('updateSettings', { colorLabels: { yellow: 'claim' } });
  await page.goto(`${gloss.url}#/article/${id}`);
  await expect.poll(() => paintedQuotes(page)).toMatchObject({ yellow: ['vowing to retaliate against the US'] });
  const announcer = page.locator('[data-highlight-announcer]');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');

  await selectText(page, 'retaliate against');
  await expect(announcer).toHaveText('In a yellow (claim) highlight, tagged claims, note: The core threat. Enter opens it.');

  // Inside the nested pair: both are named.
  await selectText(page, 'retaliatory');
  await expect(announcer).toHaveText(/^In 2 overlapping highlights: pink highlight; blue highlight\./);

  // Out of every highlight: the region empties (nothing stale is left to be read).
  await selectText(page, 'Supreme Leader');
  await expect(announcer).toHaveText('');
});
