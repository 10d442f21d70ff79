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
  const reply = await (await fetch('/article.json')).json();
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
  if (mode === 'add') {
    // The floor for (b): with all highlights painted, add one Range and time it to the end of the frame showing it.
    paintCss(highlights);
    for (let i = 0; i < 10; i++) await nextFrame();
    const adds = [];
    for (let i = 0; i < 7; i++) {
      const node = nodes[Math.floor(((i + 0.5) * nodes.length) / 7)];
      const range = document.createRange();
      range.setStart(node, 0);
      range.setEnd(node, Math.min(40, node.data.length));
      node.parentElement.scrollIntoView({ block: 'center' });
      await nextFrame();
      await nextFrame();
      const t0 = performance.now();
      CSS.highlights.get('gloss-yellow').add(range);
      await nextFrame();
      adds.push(performance.now() - t0);
    }
    window.__markResult = { mode, adds };
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
