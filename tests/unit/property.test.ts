/**
 * Property-based tests (fast-check): random sequences of operations — valid and invalid — go through the same entry
 * point the hosts use (callApi: schema validation, then the notebook) on a real temp folder. After every step the
 * notebook's invariants hold, a refused call changed nothing, and at the end what is on disk (reopened) equals what
 * was in memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_COLORS, HTTP_STATUS, type Article, type Highlight } from '../../electron/contract';
import { callApi } from '../../electron/notebook/dispatch';
import { Notebook } from '../../electron/notebook/notebook';
import { normalizeTags, tagKey } from '../../electron/notebook/tags';

const BASE_TEXT = [
  'The tide came in over the flats at dawn, and the ships waited.',
  'Ça va? Emoji 🌊 and 🚢 sit between words; the harbour master counted them.',
  'A third paragraph, longer than the others, about ropes, knots, sails and the weather that decides everything at sea.',
].join('\n\n');

const TAG_POOL = ['Iran', ' iran ', 'IRAN', 'sea', 'Sea', 'ships', 'Ünïcode', 'a b', '', '  '];

type Step =
  | { kind: 'add'; article: number; start: number; length: number; color: string; tags: string[]; note: string }
  | { kind: 'update'; pick: number; color?: string; tags?: string[]; note?: string; bogus: boolean }
  | { kind: 'delete'; pick: number }
  | { kind: 'restore'; pick: number }
  | { kind: 'renameTag'; from: string; to: string }
  | { kind: 'deleteTag'; name: string }
  | { kind: 'note'; article: number; note: string }
  | { kind: 'replaceText'; article: number; at: number; remove: number; insert: string }
  | { kind: 'junk'; method: string; args: unknown };

const text = fc.string({ maxLength: 20 });
// Mostly valid values, so sequences build up real state; sometimes invalid ones, which must be refused.
const color = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HIGHLIGHT_COLORS) }, { weight: 1, arbitrary: fc.constantFrom('red', 'YELLOW', '') });
const tags = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.constantFrom(...TAG_POOL.filter((t) => t.trim())), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...TAG_POOL), fc.string({ maxLength: 6 })), { maxLength: 3 }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), article: fc.nat(1), start: fc.integer({ min: -5, max: 260 }), length: fc.integer({ min: -2, max: 40 }), color, tags, note: text }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), color: fc.option(color, { nil: undefined }), tags: fc.option(tags, { nil: undefined }), note: fc.option(text, { nil: undefined }), bogus: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameTag' as const), from: fc.constantFrom(...TAG_POOL), to: fc.constantFrom(...TAG_POOL) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteTag' as const), name: fc.constantFrom(...TAG_POOL) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('note' as const), article: fc.nat(1), note: text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replaceText' as const), article: fc.nat(1), at: fc.nat(320), remove: fc.nat(30), insert: fc.constantFrom('', 'new words ', 'the tide ', '\n\nA new paragraph. ', '🌊') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('junk' as const), method: fc.constantFrom('addHighlight', 'updateHighlight', 'setArticleNote', 'deleteTag', 'constructor', '__proto__'), args: fc.anything() }) },
);

/** Everything a user could see, for comparisons. */
async function snapshot(notebook: Notebook): Promise<{ articles: Article[]; counts: number[] }> {
  const summaries = await notebook.listArticles();
  const articles = await Promise.all(summaries.map((s) => notebook.getArticle(s.id)));
  return { articles, counts: summaries.map((s) => s.highlightCount) };
}

function checkInvariants(snap: { articles: Article[]; counts: number[] }): void {
  const ids = new Set<string>();
  snap.articles.forEach((article, i) => {
    expect(snap.counts[i], 'highlightCount matches the highlights').toBe(article.highlights.length);
    for (const h of article.highlights) {
      expect(ids.has(h.id), `highlight ids are unique (${h.id})`).toBe(false);
      ids.add(h.id);
      expect(h.articleId).toBe(article.id);
      expect(HIGHLIGHT_COLORS).toContain(h.color);
      expect(h.tags, 'tags are normalized').toEqual(normalizeTags(h.tags));
      expect(new Set(h.tags.map(tagKey)).size).toBe(h.tags.length);
      if (!h.orphaned) {
        expect(0 <= h.start && h.start < h.end && h.end <= article.text.length, `offsets within the text (${h.start}, ${h.end})`).toBe(true);
        expect(article.text.slice(h.start, h.end), 'quote = text.slice(start, end)').toBe(h.quote);
      }
    }
  });
}

async function apply(notebook: Notebook, s: Step, articleIds: string[], deleted: Highlight[]): Promise<{ ok: boolean; code?: string; value?: unknown }> {
  const all = (await snapshot(notebook)).articles.flatMap((a) => a.highlights);
  const pick = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
  const call = async (method: string, args: unknown) => {
    const reply = await callApi(notebook, method, args);
    return reply.ok ? { ok: true, value: reply.value } : { ok: false, code: reply.error.code };
  };
  switch (s.kind) {
    case 'add':
      return call('addHighlight', [articleIds[s.article], { start: s.start, end: s.start + s.length, color: s.color, tags: s.tags, note: s.note }]);
    case 'update': {
      const target = s.bogus ? 'no-such-highlight' : pick(all, s.pick)?.id ?? 'none';
      const patch = Object.fromEntries(Object.entries({ color: s.color, tags: s.tags, note: s.note }).filter(([, v]) => v !== undefined));
      return call('updateHighlight', [target, patch]);
    }
    case 'delete': {
      const target = pick(all, s.pick);
      const result = await call('deleteHighlight', [target?.id ?? 'none']);
      if (result.ok) deleted.push(result.value as Highlight);
      return result;
    }
    case 'restore': {
      const target = pick(deleted, s.pick);
      if (!target) return { ok: true };
      const result = await call('restoreHighlight', [target]);
      if (result.ok) deleted.splice(deleted.indexOf(target), 1);
      return result;
    }
    case 'renameTag':
      return call('renameTag', [s.from, s.to]);
    case 'deleteTag':
      return call('deleteTag', [s.name]);
    case 'note':
      return call('setArticleNote', [articleIds[s.article], s.note]);
    case 'replaceText': {
      const current = (await notebook.getArticle(articleIds[s.article])).text;
      const at = Math.min(s.at, current.length);
      const next = current.slice(0, at) + s.insert + current.slice(at + s.remove);
      return call('replaceArticleText', [articleIds[s.article], { format: 'text', content: next }]);
    }
    case 'junk':
      return call(s.method, s.args);
  }
}

describe('the notebook under random operations', () => {
  it('keeps its invariants after every step, changes nothing on a refusal, and reopens to what it held', async () => {
    let runs = 0;
    let refusals = 0;
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        runs += 1;
        const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-prop-'));
        let notebook = await Notebook.open(dir, { owner: 'the property test' });
        try {
          const articleIds = [
            (await notebook.importArticle({ format: 'text', content: BASE_TEXT, title: 'Tides' })).id,
            (await notebook.importArticle({ format: 'text', content: BASE_TEXT.split('\n\n').reverse().join('\n\n'), title: 'Ships' })).id,
          ];
          const deleted: Highlight[] = [];
          for (const s of steps) {
            const before = await snapshot(notebook);
            const result = await apply(notebook, s, articleIds, deleted);
            const after = await snapshot(notebook);
            checkInvariants(after);
            if (!result.ok) {
              refusals += 1;
              // A refusal is a client error (4xx) with a code, and it changed nothing.
              expect(HTTP_STATUS[result.code as keyof typeof HTTP_STATUS], `${s.kind} refused with ${result.code}`).toBeGreaterThanOrEqual(400);
              expect(HTTP_STATUS[result.code as keyof typeof HTTP_STATUS]).toBeLessThan(500);
              expect(after).toEqual(before);
            } else applied += 1;
          }
          const inMemory = await snapshot(notebook);
          await notebook.close();
          notebook = await Notebook.open(dir, { owner: 'the property test' });
          expect(await snapshot(notebook), 'what is on disk equals what was in memory').toEqual(inMemory);
          expect(await notebook.getNotices()).toEqual([]);
        } finally {
          await notebook.close();
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
    // The generators reach both sides: steps that change the notebook and steps it must refuse.
    expect(runs).toBe(60);
    console.log(`property test: ${runs} runs, ${applied} steps applied, ${refusals} refused`);
    expect(applied).toBeGreaterThan(60);
    expect(refusals).toBeGreaterThan(30);
  }, 120_000);
});
