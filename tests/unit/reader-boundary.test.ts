/**
 * A fault in drawing one document stays in the reader pane (renderer/src/app/ReaderBoundary.tsx), and the outline
 * rail survives being handed a place read on another document's outline (the fault that once blanked the whole app
 * when a reader went from a web page with four headings to a text with two chapters).
 */
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, createElement, type ReactNode } from 'react';
import type { Root } from 'react-dom/client';

const dom = new JSDOM('<!DOCTYPE html><div id="root"></div>');
const globals = globalThis as Record<string, unknown>;
let createRoot: (element: Element) => Root;
let ReaderBoundary: typeof import('../../renderer/src/app/ReaderBoundary').ReaderBoundary;
let OutlinePanel: typeof import('../../renderer/src/reader/outline/OutlinePanel').OutlinePanel;

beforeAll(async () => {
  Object.assign(globals, { window: dom.window, document: dom.window.document, navigator: dom.window.navigator, IS_REACT_ACT_ENVIRONMENT: true });
  ({ createRoot } = await import('react-dom/client'));
  ({ ReaderBoundary } = await import('../../renderer/src/app/ReaderBoundary'));
  ({ OutlinePanel } = await import('../../renderer/src/reader/outline/OutlinePanel'));
});
afterAll(() => {
  for (const key of ['window', 'document', 'navigator', 'IS_REACT_ACT_ENVIRONMENT']) delete globals[key];
});

function mount(node: ReactNode): { container: HTMLElement; render: (next: ReactNode) => void; unmount: () => void } {
  const container = dom.window.document.createElement('div');
  dom.window.document.body.append(container);
  const root = createRoot(container);
  act(() => root.render(node));
  return { container, render: (next) => act(() => root.render(next)), unmount: () => act(() => root.unmount()) };
}

function Broken(): ReactNode {
  throw new Error('the text layer is missing');
}

describe('ReaderBoundary', () => {
  it("says which document could not be shown and why, keeps what is beside it, and starts clean on another document", () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const page = (articleId: string, child: ReactNode) =>
      createElement('div', null, createElement(ReaderBoundary, { articleId, title: 'A report', children: child }), createElement('aside', null, 'notes panel'));
    const view = mount(page('a1', createElement(Broken)));
    const alert = view.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Gloss could not show “A report”: the text layer is missing');
    expect(view.container.querySelector('aside')?.textContent).toBe('notes panel');
    view.render(page('a2', createElement('article', null, 'the next document')));
    expect(view.container.querySelector('[role="alert"]')).toBeNull();
    expect(view.container.querySelector('article')?.textContent).toBe('the next document');
    view.unmount();
    quiet.mockRestore();
  });
});

describe('OutlinePanel', () => {
  it('shows "Start" rather than failing when the place points past its entries', () => {
    const items = [
      { label: 'CHAPTER I. The start', start: 0, depth: 0 },
      { label: 'CHAPTER II. The end', start: 100, depth: 0 },
    ];
    const view = mount(createElement(OutlinePanel, { outline: { items, current: 3, percent: 40, go: () => undefined }, open: true, onToggle: () => undefined }));
    expect(view.container.querySelector('[data-outline-place]')?.textContent).toBe('Start · 40%');
    expect([...view.container.querySelectorAll('.outline-entry')].map((b) => b.textContent)).toEqual(['CHAPTER I. The start', 'CHAPTER II. The end']);
    view.unmount();
  });
});
