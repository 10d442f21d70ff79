/** Work put off to after the frame (renderer/src/reader/after-frame.ts) runs once, and at once if the page goes away first. */
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, expect, it } from 'vitest';

const dom = new JSDOM('<!DOCTYPE html>');
const globals = globalThis as Record<string, unknown>;
const idle: (() => void)[] = [];
let afterFrame: typeof import('../../renderer/src/reader/after-frame').afterFrame;

beforeAll(async () => {
  Object.assign(globals, { window: dom.window, requestIdleCallback: (run: () => void) => idle.push(run) });
  ({ afterFrame } = await import('../../renderer/src/reader/after-frame'));
});
afterAll(() => {
  delete globals.window;
  delete globals.requestIdleCallback;
});

it('runs in the idle period, once, and whatever still waits when the page is hidden runs then', () => {
  const ran: string[] = [];
  afterFrame(() => ran.push('save A'));
  expect(ran).toEqual([]);
  idle.shift()!();
  expect(ran).toEqual(['save A']);
  afterFrame(() => ran.push('save B'));
  dom.window.dispatchEvent(new dom.window.Event('pagehide'));
  expect(ran).toEqual(['save A', 'save B']);
  idle.shift()!(); // the idle period that comes after all the same: not twice
  dom.window.dispatchEvent(new dom.window.Event('pagehide'));
  expect(ran).toEqual(['save A', 'save B']);
});
