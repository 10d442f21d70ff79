import { useRef, useState } from 'react';
import type { PdfPage } from '../../../../electron/contract';
import { pageIndicatorText, pageNamed } from './pages';
import { percentOf, ZOOM_STEPS, type ZoomMode } from './zoom';

interface Props {
  title: string;
  current: number;
  pageCount: number;
  pages: readonly PdfPage[];
  scale: number;
  zoom: ZoomMode;
  hasOutline: boolean;
  outlineOpen: boolean;
  invert: boolean;
  onGoToPage: (page: number) => void;
  onZoom: (mode: ZoomMode) => void;
  onZoomStep: (direction: 1 | -1) => void;
  onToggleOutline: () => void;
  onToggleInvert: () => void;
  /** *Replace PDF…* (a newer version of the paper); absent where the app offers no replacing. */
  onReplaceFile?: (file: File) => void;
}

const NAMED: { value: string; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'page-width', label: 'Fit width' },
  { value: 'page-fit', label: 'Fit page' },
];

/** Above the pages: outline, page indicator and go to page, zoom, invert. */
export function PdfToolbar(props: Props) {
  const { title, current, pageCount, pages, scale, zoom, hasOutline, outlineOpen, invert } = props;
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState(false);
  const label = pages[current - 1]?.label;
  const percent = scale ? percentOf(scale) : 100;
  const zoomValue = typeof zoom === 'number' ? String(zoom) : zoom;
  const go = (): void => {
    const page = pageNamed(typed, pages, pageCount);
    if (page === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setTyped('');
    props.onGoToPage(page);
  };
  return (
    <div className="pdf-toolbar" role="toolbar" aria-label="PDF">
      {hasOutline && (
        <button type="button" className="pdf-tool" aria-pressed={outlineOpen} onClick={props.onToggleOutline}>
          Outline
        </button>
      )}
      <h1 className="pdf-title" title={title}>
        {title}
      </h1>
      <span className="pdf-page-indicator" data-page-indicator aria-live="polite">
        {pageCount > 0 ? pageIndicatorText(current, pageCount, label) : ''}
      </span>
      <input
        className="pdf-goto"
        aria-label="Go to page"
        placeholder="Go to page"
        value={typed}
        aria-invalid={invalid || undefined}
        title={invalid ? `No page "${typed}": type a number from 1 to ${pageCount}${pages.some((p) => p.label) ? ' or a page label' : ''}` : undefined}
        onChange={(e) => {
          setTyped(e.target.value);
          setInvalid(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go();
          }
        }}
      />
      <span className="pdf-zoom">
        <button type="button" className="pdf-tool" aria-label="Zoom out" title="Zoom out (-)" onClick={() => props.onZoomStep(-1)}>
          −
        </button>
        <select
          aria-label="Zoom"
          value={zoomValue}
          onChange={(e) => {
            const value = e.target.value;
            props.onZoom(value === 'auto' || value === 'page-width' || value === 'page-fit' ? value : Number(value));
          }}
        >
          {NAMED.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
              {zoom === o.value ? ` (${percent}%)` : ''}
            </option>
          ))}
          {typeof zoom === 'number' && !ZOOM_STEPS.includes(zoom) && <option value={String(zoom)}>{zoom}%</option>}
          {ZOOM_STEPS.map((p) => (
            <option key={p} value={String(p)}>
              {p}%
            </option>
          ))}
        </select>
        <button type="button" className="pdf-tool" aria-label="Zoom in" title="Zoom in (+)" onClick={() => props.onZoomStep(1)}>
          +
        </button>
      </span>
      <button type="button" className="pdf-tool" aria-pressed={invert} onClick={props.onToggleInvert} title="Show the pages light on dark">
        Invert pages
      </button>
      {props.onReplaceFile && <ReplacePdfButton onFile={props.onReplaceFile} />}
    </div>
  );
}

/** A button that opens the file picker for a PDF; the chosen file goes to `onFile` (the picker is emptied for the next). */
function ReplacePdfButton({ onFile }: { onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="pdf-tool" onClick={() => input.current?.click()} title="Give a newer version of this PDF: your highlights move to where their text is now">
        Replace PDF…
      </button>
      <input
        ref={input}
        type="file"
        accept=".pdf,application/pdf"
        hidden
        aria-label="Replace PDF with a newer version"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
