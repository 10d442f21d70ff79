/**
 * Issue 12 item 10, in the reader: captions read as captions, tables keep their cells apart, a page's labels for
 * screen readers and a repeated title stay out, in light and dark. Screenshots of each go to test-results/ (attached
 * to the report); the assertions are what the screenshots were looked at for.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { test, expect, fixturesDir } from './fixtures';

test.use({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: 1 });

const SCHEMES = ['light', 'dark'] as const;
const PROSE = Array.from(
  { length: 4 },
  (_, i) => `<p>Paragraph ${i + 1}: the elders who tend the beaches say the sea is telling them something, and that it grows louder every year.</p>`,
).join('');

async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
  await info.attach(name, { body: await page.screenshot({ path: info.outputPath(`${name}.png`), animations: 'disabled', caret: 'hide' }), contentType: 'image/png' });
}

test('figure captions are smaller and muted; table cells are ruled and padded; in light and dark', async ({ page, gloss }, info) => {
  const bbc = await gloss.api('importArticle', {
    format: 'html',
    content: await readFile(path.join(fixturesDir, 'readability/bbc-1/source.html'), 'utf8'),
    source: 'http://fakehost/test/page.html',
  });
  const table = await gloss.api('importArticle', {
    format: 'html',
    content: `<title>Tide table for the week ahead</title><article>${PROSE}<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>${PROSE}</article>`,
  });
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${gloss.url}#/article/${bbc.id}`);
    const article = page.locator('article.reader-article');
    const caption = article.locator('figcaption').first();
    await expect(caption).toHaveText('The president said he would continue fighting for greater gun control laws');
    const looks = await caption.evaluate((el) => {
      const p = el.closest('article')!.querySelector('p')!;
      const probe = document.createElement('span');
      probe.style.color = 'var(--fg-muted)';
      document.body.append(probe);
      const muted = getComputedStyle(probe).color;
      probe.remove();
      return { size: parseFloat(getComputedStyle(el).fontSize), body: parseFloat(getComputedStyle(p).fontSize), color: getComputedStyle(el).color, bodyColor: getComputedStyle(p).color, muted };
    });
    expect(looks.size, 'caption font size').toBeLessThanOrEqual(looks.body * 0.9);
    expect(looks.color, 'caption colour is the muted one').toBe(looks.muted);
    expect(looks.color).not.toBe(looks.bodyColor);
    await caption.scrollIntoViewIfNeeded();
    await shoot(page, info, `caption-${scheme}`);

    await page.goto(`${gloss.url}#/article/${table.id}`);
    const cells = page.locator('article.reader-article').getByRole('cell');
    await expect(cells).toHaveText(['1', '2']);
    const cell = await cells.first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { padding: parseFloat(s.paddingLeft), border: parseFloat(s.borderLeftWidth) };
    });
    expect(cell.padding, 'cell padding').toBeGreaterThanOrEqual(8);
    expect(cell.border, 'cell border').toBeGreaterThanOrEqual(1);
    // The words of neighbouring cells stand apart: "A" and "B" no longer read as "A B".
    const a = await page.locator('article.reader-article').getByRole('columnheader', { name: 'A' }).boundingBox();
    const b = await page.locator('article.reader-article').getByRole('columnheader', { name: 'B' }).boundingBox();
    const textGap = await page.evaluate(() => {
      const [ha, hb] = Array.from(document.querySelectorAll('article.reader-article th')).map((th) => {
        const r = document.createRange();
        r.selectNodeContents(th);
        return r.getBoundingClientRect();
      });
      return hb.left - ha.right;
    });
    expect(a && b && b.x >= a.x + a.width).toBeTruthy();
    expect(textGap, 'space between the words of two cells').toBeGreaterThanOrEqual(16);
    await page.locator('article.reader-article table').scrollIntoViewIfNeeded();
    await shoot(page, info, `table-${scheme}`);
  }
});

test('a Guardian-shaped caption reads once, as a caption; an NYT-shaped "Photo" label is gone; the title is the headline', async ({ page, gloss }, info) => {
  const guardian = await gloss.api('importArticle', {
    format: 'html',
    source: 'https://example.org/environment/whales',
    content: `<!DOCTYPE html><html lang="en"><head><title>Why are the whales stranding? Elders of the coast fear the answer | Ana Ruiz | Environment | The Guardian</title>
<meta name="author" content="Ana Ruiz"><meta property="og:title" content="Why are the whales stranding? Elders of the coast fear the answer | Ana Ruiz">
<meta property="og:site_name" content="the Guardian"></head><body><article><div itemprop="articleBody">${PROSE}
<figure id="img-2"><a href="#img-2"><div><picture><img alt="An elder on the beach where he was born and grew up." src="https://images.example.org/whale.jpg"></picture></div></a></figure>
<ul><li><p> An elder on the beach where he was born and grew up </p></li></ul>
<figure class="media photo"><span class="visually-hidden">Photo</span><div><img src="https://images.example.org/camp.jpg" alt=""></div>
<figcaption><span>Peacekeepers at a camp on Monday.</span> <span><span class="visually-hidden">Credit</span> Ana Ruiz/Example Press</span></figcaption></figure>
${PROSE}</div></article></body></html>`,
  });
  expect(guardian.title).toBe('Why are the whales stranding? Elders of the coast fear the answer');
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${gloss.url}#/article/${guardian.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Why are the whales stranding? Elders of the coast fear the answer' })).toBeVisible();
    const article = page.locator('article.reader-article');
    await expect(article.locator('figcaption').first()).toHaveText('An elder on the beach where he was born and grew up');
    await expect(article.getByRole('listitem')).toHaveCount(0);
    // Once: not a second time as the unloaded image's alt text, not as a bullet.
    const seen = await article.evaluate((el) => (el as HTMLElement).innerText.match(/An elder on the beach/g)?.length ?? 0);
    expect(seen).toBe(1);
    await expect(article).not.toContainText(/\bPhoto\b/);
    await expect(article).toContainText('Peacekeepers at a camp on Monday. Ana Ruiz/Example Press');
    await article.locator('figure').first().scrollIntoViewIfNeeded();
    await shoot(page, info, `guardian-caption-${scheme}`);
  }
});

test('pasted HTML shows its title once, as the article heading', async ({ page, gloss }) => {
  await page.goto(gloss.url);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await page.evaluate((html) => {
    const dt = new DataTransfer();
    dt.setData('text/html', html);
    dt.setData('text/plain', 'Why tide pools matter');
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, `<h1>Why tide pools matter</h1>${PROSE}`);
  await expect(page).toHaveURL(/#\/article\//);
  const reader = page.getByRole('main');
  await expect(reader.getByRole('heading', { name: 'Why tide pools matter' })).toHaveCount(1);
  await expect(page.locator('article.reader-article')).not.toContainText('Why tide pools matter');
  await expect(page.locator('article.reader-article')).toContainText('Paragraph 1: the elders');
});
