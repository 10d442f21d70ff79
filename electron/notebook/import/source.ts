/**
 * Where a saved page came from (issue 17 item 1), in the order a page's own claims are most trustworthy: its
 * `<link rel="canonical">`, its `og:url`, a scholarly page's `citation_public_url` / `citation_abstract_html_url` /
 * `citation_fulltext_html_url`, then the comment browsers write when saving ("<!-- saved from url=(0044)https://... -->").
 * Only an absolute http(s) address counts; a relative canonical is read against the "saved from" address when there is
 * one. An explicit source (the request's, a URL import's address) always wins: the caller decides that.
 */

const CITATION_URLS = ['citation_public_url', 'citation_abstract_html_url', 'citation_fulltext_html_url'];

export function discoverSource(doc: Document, html: string): string | undefined {
  const savedFrom = savedFromUrl(html);
  const candidates: Array<string | null | undefined> = [
    doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href'),
    doc.querySelector('meta[property="og:url" i][content], meta[name="og:url" i][content]')?.getAttribute('content'),
    ...CITATION_URLS.map((name) => doc.querySelector(`meta[name="${name}" i][content]`)?.getAttribute('content')),
    savedFrom,
  ];
  for (const candidate of candidates) {
    const url = webUrl(candidate, savedFrom);
    if (url) return url;
  }
  return undefined;
}

/** The address in a "saved from url=(NNNN)..." comment (Internet Explorer, Chrome and Edge write it), near the top. */
export function savedFromUrl(html: string): string | undefined {
  const m = /<!--\s*saved from url=\(\d+\)\s*([^\s>]+?)\s*-->/i.exec(html.slice(0, 4096));
  return m ? webUrl(m[1], undefined) : undefined;
}

function webUrl(value: string | null | undefined, base: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  try {
    const url = base ? new URL(v, base) : new URL(v);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}
