// @vitest-environment jsdom
/**
 * The PDF reader's selection sentinel (pdf.js's endOfContent trick): while a drag selects in a text layer, the layer
 * is in selecting mode and its end marker follows the selection's moving end; once the selection is done (pointer up,
 * a key up, the selection cleared) the marker goes back to the end of its layer. A reset touches only the layers the
 * sentinel changed: it runs on every keyup, in the frames right after a new highlight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { trackTextLayerSelection } from '../../renderer/src/reader/pdf/selection-sentinel';

function layer(n: number): string {
  return `<div class="textLayer" id="layer${n}"><span id="a${n}">First line of page ${n}</span><span id="b${n}">Second line of page ${n}</span><div class="endOfContent"></div></div>`;
}

function setUp(): { root: HTMLElement; stop: () => void } {
  document.body.innerHTML = `<div id="root">${layer(1)}${layer(2)}</div>`;
  const root = document.getElementById('root')!;
  return { root, stop: trackTextLayerSelection(root) };
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
const endOf = (n: number): HTMLElement => byId(`layer${n}`).querySelector<HTMLElement>('.endOfContent')!;

/** A drag's selection from the start of #a1 into #a1's text, as the pointer moves. */
function dragOver(text: Node, to: number): void {
  const range = document.createRange();
  range.setStart(text, 0);
  range.setEnd(text, to);
  const selection = document.getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event('selectionchange'));
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  document.getSelection()?.removeAllRanges();
});

describe('trackTextLayerSelection', () => {
  it('moves the marker after the selection end while dragging, and puts it back on pointer up', () => {
    const setup = setUp();
    stop = setup.stop;
    document.dispatchEvent(new Event('pointerdown'));
    dragOver(byId('a1').firstChild!, 5);
    expect(byId('layer1').classList.contains('selecting')).toBe(true);
    expect(byId('a1').nextElementSibling).toBe(endOf(1));
    expect(byId('layer2').classList.contains('selecting')).toBe(false);
    document.dispatchEvent(new Event('pointerup'));
    expect(byId('layer1').lastElementChild).toBe(endOf(1));
    expect(byId('layer1').classList.contains('selecting')).toBe(false);
  });

  it('puts the marker back when the selection is cleared (a highlight made with h)', () => {
    const setup = setUp();
    stop = setup.stop;
    document.dispatchEvent(new Event('pointerdown'));
    dragOver(byId('a1').firstChild!, 5);
    document.getSelection()!.removeAllRanges();
    document.dispatchEvent(new Event('selectionchange'));
    expect(byId('layer1').lastElementChild).toBe(endOf(1));
    expect(byId('layer1').classList.contains('selecting')).toBe(false);
  });

  it('a key up resets only the layers it changed, not every text layer on the page', () => {
    const setup = setUp();
    stop = setup.stop;
    // Layer 2 is in a state the sentinel did not make (its marker elsewhere): not the sentinel's to touch.
    byId('layer2').insertBefore(endOf(2), byId('b2'));
    document.dispatchEvent(new Event('pointerdown'));
    dragOver(byId('a1').firstChild!, 5);
    document.dispatchEvent(new Event('pointerup'));
    document.dispatchEvent(new KeyboardEvent('keyup', { key: 'h' }));
    expect(byId('layer1').lastElementChild).toBe(endOf(1));
    expect(byId('b2').previousElementSibling).toBe(endOf(2));
  });
});
