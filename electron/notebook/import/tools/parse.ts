/** The worker's side of a tool import: one parser per format (see ./index.ts for the notebook's side). */
import { parseHypothesisJson } from './hypothesis';
import type { ParseToolJob } from './index';
import { parseKindleClippings } from './kindle';
import { parseOmnivoreZip } from './omnivore';
import { parseReadwiseCsv } from './readwise';
import type { ParsedToolExport } from './types';

export function parseToolExport(job: ParseToolJob): ParsedToolExport {
  switch (job.format) {
    case 'hypothesis':
      return parseHypothesisJson(job.text ?? '', job.name);
    case 'kindle':
      return parseKindleClippings(job.text ?? '', job.name);
    case 'readwise':
      return parseReadwiseCsv(job.text ?? '', job.name);
    case 'omnivore':
      return parseOmnivoreZip(job.bytes ?? new Uint8Array(), job.name);
  }
}
