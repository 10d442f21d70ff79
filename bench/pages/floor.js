/* global Mark */
/*
 * The floor: the least any reader can do to show this article with its highlights. Fetch the same article reply the
 * app fetches, put each paragraph in a bare <p>, and paint every highlight as a Range in the CSS Custom Highlight API.
 * With ?mode=mark or ?mode=css it instead times mark.js markRanges against CSS highlights for the same ranges.
 */
(async () => {
  const mode = new URLSearchParams(location.search).get('mode') ?? 'floor';
  if (mode.startsWith('mark')) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/mark.min.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  // ?article=long: the bench's second, longer text (bench/run.mjs serves both replies).
  const reply = await (await fetch(new URLSearchParams(location.search).get('article') === 'long' ? '/article-long.json' : '/article.json')).json();
  const { text, highlights } = reply.value;
  const root = document.getElementById('article');
  const paragraphs = text.split('\n\n');
  const starts = [];
  const nodes = [];
  let at = 0;
  const fragment = document.createDocumentFragment();
  for (const paragraph of paragraphs) {
    const p = document.createElement('p');
    const node = document.createTextNode(paragraph);
    p.appendChild(node);
    fragment.appendChild(p);
    starts.push(at);
    nodes.push(node);
    at += paragraph.length + 2;
  }
  root.appendChild(fragment);

  const indexAt = (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const point = (offset) => {
    const i = indexAt(offset);
    return [nodes[i], Math.min(offset - starts[i], nodes[i].data.length)];
  };
  const paintCss = (list) => {
    const layers = {};
    for (const h of list) {
      const range = document.createRange();
      range.setStart(...point(h.start));
      range.setEnd(...point(h.end));
      (layers[h.color] ??= new Highlight()).add(range);
    }
    for (const [color, layer] of Object.entries(layers)) CSS.highlights.set(`gloss-${color}`, layer);
  };
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

  if (mode === 'floor') {
    paintCss(highlights);
    return;
  }
  if (mode === 'key') {
    // The floor for (b) as the bench drives it: with all highlights painted, h adds the selection (made with the
    // mouse by the bench) as one Range and clears the selection, in the keydown task, as the reader does.
    paintCss(highlights);
    window.addEventListener(
      'keydown',
      (e) => {
        const selection = document.getSelection();
        if (e.key !== 'h' || selection.rangeCount === 0 || selection.isCollapsed) return;
        CSS.highlights.get('gloss-yellow').add(selection.getRangeAt(0).cloneRange());
        selection.removeAllRanges();
      },
      true,
    );
    window.__floorReady = true;
    return;
  }
  // mark.js counts offsets over the concatenated text nodes, without our "\n\n" paragraph separators.
  const domOffset = (offset) => offset - 2 * indexAt(offset);
  const ranges = highlights.map((h) => ({ start: domOffset(h.start), length: domOffset(h.end) - domOffset(h.start) }));
  await nextFrame();
  const t0 = performance.now();
  if (mode === 'mark') {
    await new Promise((resolve) => new Mark(root).markRanges(ranges, { done: resolve }));
  } else if (mode === 'mark-one') {
    await new Promise((resolve) => new Mark(root).markRanges([ranges[Math.floor(ranges.length / 2)]], { done: resolve }));
  } else {
    paintCss(highlights);
  }
  const scripted = performance.now() - t0;
  void document.body.offsetHeight; // style and layout of what changed
  await nextFrame();
  window.__markResult = { mode, scriptMs: scripted, toFrameMs: performance.now() - t0, marks: root.querySelectorAll('mark').length };
})();
