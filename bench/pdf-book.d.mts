// Types for bench/pdf-book.mjs (plain JavaScript, as the benches run under Node 20 without a TypeScript loader), so
// tests/unit/pdf-bench-book.test.ts can check the book it makes.
export declare const BOOK_PAGES: number;
export declare const BOOK_HIGHLIGHTS: number;
export declare function mobyDickParagraphs(fixturesDir?: string): Promise<string[]>;
export declare function makePdfBook(options?: { pages?: number; fixturesDir?: string }): Promise<Uint8Array>;
export declare function writePdfBook(file?: string): Promise<{ file: string; bytes: Uint8Array }>;
export interface PlannedHighlight {
  start: number;
  end: number;
  color: 'yellow' | 'green' | 'blue' | 'pink' | 'purple';
  page: number;
}
export declare function planPdfHighlights(
  article: { text: string; pages: readonly { number: number; start: number; end: number }[] },
  count?: number,
  featured?: readonly number[],
): PlannedHighlight[];
