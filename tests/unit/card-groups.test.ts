// @vitest-environment jsdom
/**
 * The notes panel renders its cards in groups the browser can skip while off screen (renderer/src/notes/card-groups.ts).
 * What must hold: the groups keep text order and lose no card, a card's group never changes when other highlights
 * come and go (React would remount it), and the arrow keys walk from the last card of one group to the first of the
 * next as if there were no groups.
 */
import { describe, expect, it } from 'vitest';
import { adjacentCard, GROUP_TARGET, groupCards, groupSpanFor } from '../../renderer/src/notes/card-groups';

const spans = (n: number, every: number) => Array.from({ length: n }, (_, i) => ({ id: `h${i}`, start: i * every, end: i * every + 20 }));

describe('card groups', () => {
  it('a short list is one group; a long one is split into groups of about GROUP_TARGET, in order, none lost', () => {
    expect(groupSpanFor(spans(GROUP_TARGET, 100))).toBe(Number.POSITIVE_INFINITY);
    expect(groupCards(spans(10, 100), Number.POSITIVE_INFINITY).map((g) => g.items.length)).toEqual([10]);

    const list = spans(2000, 600);
    const groups = groupCards(list, groupSpanFor(list));
    expect(groups.flatMap((g) => g.items)).toEqual(list);
    expect(groups.length).toBeGreaterThanOrEqual(2000 / GROUP_TARGET - 1);
    expect(groups.length).toBeLessThanOrEqual(2000 / GROUP_TARGET + 1);
    expect(new Set(groups.map((g) => g.key)).size).toBe(groups.length);
  });

  it("adding or removing a highlight moves no other card to another group", () => {
    const list = spans(500, 1000);
    const span = groupSpanFor(list);
    const groupOf = (l: typeof list) => new Map(groupCards(l, span).flatMap((g) => g.items.map((h) => [h.id, g.key] as const)));
    const before = groupOf(list);
    const added = [...list.slice(0, 250), { id: 'new', start: 250 * 1000 - 10, end: 250 * 1000 }, ...list.slice(250)];
    const removed = list.filter((h) => h.id !== 'h100');
    for (const [id, key] of groupOf(added)) if (id !== 'new') expect(key).toBe(before.get(id));
    for (const [id, key] of groupOf(removed)) expect(key).toBe(before.get(id));
  });

  it('a list out of text order still gets a distinct key for every group', () => {
    const list = [{ start: 0 }, { start: 5000 }, { start: 10 }];
    expect(groupCards(list, 1000).map((g) => g.key)).toEqual(['0', '5', '0-1']);
  });

  it('the card after the last of a group is the first of the next, and back; null at the ends', () => {
    document.body.innerHTML = `<div class="cards" role="list">
      <div class="card-group" role="none"><li class="card" id="a"></li><li class="card" id="b"></li></div>
      <div class="card-group" role="none"><li class="card" id="c"></li></div>
      <div class="card-group" role="none"><li class="card" id="d"></li><li class="card" id="e"></li></div>
    </div>`;
    const card = (id: string) => document.getElementById(id)!;
    expect(adjacentCard(card('a'), 1)).toBe(card('b'));
    expect(adjacentCard(card('b'), 1)).toBe(card('c'));
    expect(adjacentCard(card('c'), 1)).toBe(card('d'));
    expect(adjacentCard(card('d'), -1)).toBe(card('c'));
    expect(adjacentCard(card('c'), -1)).toBe(card('b'));
    expect(adjacentCard(card('e'), 1)).toBeNull();
    expect(adjacentCard(card('a'), -1)).toBeNull();
  });
});
