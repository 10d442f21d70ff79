// citation-js ships no types; the tests use the few calls declared here (https://citation.js.org/api/).
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown);
    format(format: 'data', options?: { format?: 'object' | 'string' }): unknown;
    format(format: 'bibliography' | 'bibtex' | 'citation', options?: Record<string, unknown>): string;
  }
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-csl';
