/** The PDF reader's lazily loaded chunk (pdf.js inside): what warm.ts and App.tsx take from it. */
export { PdfReader } from './PdfReader';
export { loadPdf } from './pdfjs';
export { drawEarlyPage } from './early-page';
