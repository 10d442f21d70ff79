/**
 * What every other tool's export is read into (one parser per tool beside this file), before the notebook matches it
 * to articles: documents, each with its highlights as quotes. Parsing is pure and runs in the notebook's worker.
 */
import type { HighlightColor } from '../../../contract';

export interface ToolHighlight {
  quote: string;
  /** TextQuoteSelector context, when the tool kept it (Hypothesis). */
  prefix?: string;
  suffix?: string;
  /** TextPositionSelector in the tool's own text of the page (a hint only: Gloss's text differs). */
  start?: number;
  end?: number;
  note: string;
  tags: string[];
  color?: HighlightColor;
  /** Where the tool said the passage is: "Location 171-173", "Page 12". Kept in a stub's text beside the quote. */
  location?: string;
  /** ISO date-time. */
  created?: string;
}

export interface ToolDocument {
  title: string;
  authors?: string[];
  /** The page it came from: how it is matched to an article already in the notebook. */
  url?: string;
  publishedAt?: string;
  /** The document's readable HTML, when the export holds it (Omnivore): imported as the article. */
  html?: string;
  highlights: ToolHighlight[];
  /** What belongs to the document rather than a passage: notes without a passage, the tool's labels. */
  notes: string[];
}

export interface ParsedToolExport {
  /** The tool's name as people know it ("Kindle"). */
  tool: string;
  documents: ToolDocument[];
  /** Entries left out on purpose (a Kindle bookmark, a Hypothesis reply), counted in the report's `skipped`. */
  skipped: number;
  /** One line per thing that could not be kept as it was, for the report. */
  problems: string[];
}

/** Gloss's colours for the ones other tools use (Readwise and Kindle have orange; Gloss has no orange). */
export function glossColor(name: string | undefined): HighlightColor | undefined {
  switch (name?.trim().toLowerCase()) {
    case 'yellow':
      return 'yellow';
    case 'orange':
      return 'yellow';
    case 'green':
      return 'green';
    case 'blue':
      return 'blue';
    case 'pink':
    case 'red':
      return 'pink';
    case 'purple':
      return 'purple';
    default:
      return undefined;
  }
}

/** An ISO date-time from a tool's date, or undefined when it is not one. */
export function isoDateTime(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  const t = Date.parse(value.trim());
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}
