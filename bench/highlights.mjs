/**
 * The bench's 2,000 highlights over an article's canonical text, deterministic (seeded): a tenth cross a paragraph
 * boundary, a tenth overlap another highlight (half nested inside it, half overlapping its end), the rest sit inside
 * one paragraph and overlap nothing. Spread evenly over the whole text, so the last chapter is painted too.
 */
export function generateHighlights(text, count = 2000, seed = 2701) {
  const random = mulberry32(seed);
  const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const paragraphs = []; // [start, end) of each paragraph
  for (let at = 0; at <= text.length; ) {
    const next = text.indexOf('\n\n', at);
    const end = next === -1 ? text.length : next;
    paragraphs.push([at, end]);
    if (next === -1) break;
    at = next + 2;
  }
  const crossing = Math.round(count / 10);
  const overlapping = Math.round(count / 10);
  const primaries = count - overlapping; // one per slot: plain or crossing
  const slot = text.length / primaries;
  const out = [];
  const paragraphAt = (offset) => {
    let lo = 0;
    let hi = paragraphs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (paragraphs[mid][0] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const colors = ['yellow', 'green', 'blue', 'pink', 'purple'];
  let crossingMade = 0;
  for (let k = 0; k < primaries; k++) {
    const from = Math.floor(k * slot);
    const to = Math.floor((k + 1) * slot);
    const color = colors[k % colors.length];
    // Owed a crossing highlight by now (a slot without a paragraph boundary passes it on to the next one)?
    const wantCrossing = crossingMade < Math.ceil(((k + 1) * crossing) / primaries);
    const p = paragraphAt(from);
    if (wantCrossing) {
      // The first paragraph boundary at or after the slot start, if it lies inside the slot.
      const q = paragraphs[p][0] >= from ? p : p + 1;
      if (q >= 1 && q < paragraphs.length && paragraphs[q][0] < to) {
        const [ps] = paragraphs[q - 1];
        const [qs, qe] = paragraphs[q];
        const start = Math.max(ps, Math.max(from, qs - 2 - between(10, 80)));
        const end = Math.min(qe, Math.min(to, qs + between(10, 80)));
        if (start < qs - 2 && end > qs) {
          out.push({ start, end, color, kind: 'crossing' });
          crossingMade++;
          continue;
        }
      }
    }
    // Plain: inside one paragraph, inside the slot.
    const [ps, pe] = paragraphs[p];
    const lo = Math.max(from, ps);
    const hi = Math.min(to, pe);
    if (hi - lo < 4) {
      out.push(null);
      continue;
    }
    const length = Math.min(hi - lo, between(15, 200));
    const start = between(lo, hi - length);
    out.push({ start, end: start + length, color, kind: 'plain' });
  }
  let spans = out.filter(Boolean);
  const plain = spans.filter((h) => h.kind === 'plain');
  const extras = [];
  for (let i = 0; extras.length < overlapping; i += Math.max(1, Math.floor(plain.length / overlapping))) {
    const base = plain[i % plain.length];
    const length = base.end - base.start;
    if (length < 8) continue;
    const nested = extras.length % 2 === 0;
    const start = base.start + Math.floor(length / 3);
    const end = nested ? base.end - Math.floor(length / 4) : Math.min(base.end + 20, paragraphEndOf(base.start));
    if (end <= start) continue;
    extras.push({ start, end, color: colors[(colors.indexOf(base.color) + 2) % colors.length], kind: 'overlapping' });
  }
  function paragraphEndOf(offset) {
    return paragraphs[paragraphAt(offset)][1];
  }
  spans = [...spans, ...extras];
  // Top up (slots without room) with plain highlights in the longest gaps; rare for a novel.
  while (spans.length < count) {
    const [ps, pe] = paragraphs[between(0, paragraphs.length - 1)];
    if (pe - ps < 30) continue;
    const start = between(ps, pe - 20);
    spans.push({ start, end: start + 15, color: 'yellow', kind: 'plain' });
  }
  return spans.slice(0, count);
}

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
