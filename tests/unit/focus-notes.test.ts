// @vitest-environment jsdom
/**
 * `n` right after an article opens: the notes panel's list is a deferred render and its cards mount in batches, so the
 * key can arrive before the first card exists (a CI flake: "n did not focus the card"). The key must land on the card
 * when it arrives, and must not pull focus back from a user who moved on meanwhile.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { focusNotesPanel } from '../../renderer/src/app/focus-notes';

function setUp(): { reader: HTMLElement; panel: HTMLElement; addCard: () => HTMLElement } {
  document.body.innerHTML = `
    <article class="reader-article" tabindex="0">text</article>
    <aside data-notes-panel=""><button id="article-note">Add a note to the article</button><ol class="cards"></ol></aside>
    <input id="elsewhere">`;
  const reader = document.querySelector<HTMLElement>('article')!;
  const panel = document.querySelector<HTMLElement>('[data-notes-panel]')!;
  const addCard = () => {
    const card = document.createElement('li');
    card.className = 'card';
    card.tabIndex = -1;
    panel.querySelector('ol')!.append(card);
    return card;
  };
  reader.focus();
  return { reader, panel, addCard };
}

const mutationsDelivered = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => vi.useRealTimers());

describe('n: focus the notes panel', () => {
  it('focuses the first card when it is already there', () => {
    const { addCard } = setUp();
    const card = addCard();
    focusNotesPanel(true);
    expect(document.activeElement).toBe(card);
  });

  it('waits for a card still on its way, then focuses it (not the panel’s first control)', async () => {
    const { reader, addCard } = setUp();
    focusNotesPanel(true);
    expect(document.activeElement).toBe(reader);
    const card = addCard();
    await mutationsDelivered();
    expect(document.activeElement).toBe(card);
  });

  it('leaves focus alone if the user moved it before the card arrived', async () => {
    const { addCard } = setUp();
    focusNotesPanel(true);
    const elsewhere = document.getElementById('elsewhere')!;
    elsewhere.focus();
    addCard();
    await mutationsDelivered();
    expect(document.activeElement).toBe(elsewhere);
  });

  it('with no highlights, or filters that match none, focuses the panel at once', () => {
    setUp();
    focusNotesPanel(false);
    expect(document.activeElement?.id).toBe('article-note');
  });

  it('gives up waiting after a while and focuses the panel', () => {
    vi.useFakeTimers();
    setUp();
    focusNotesPanel(true);
    vi.advanceTimersByTime(3000);
    expect(document.activeElement?.id).toBe('article-note');
  });
});
