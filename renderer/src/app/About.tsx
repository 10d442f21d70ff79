import { useEffect, useId, useRef } from 'react';
import { CONTRACT_VERSION } from '../../../electron/contract';

interface Props {
  open: boolean;
  onClose: () => void;
  host: 'electron' | 'browser';
}

/** Help > About Gloss: what Gloss is, where the notebook lives, which local API it speaks. */
export function AboutDialog({ open, onClose, host }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="about-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>About Gloss</h2>
      <p>A local-first research notebook: read articles, highlight passages in five colours, tag them, write notes beside them and export them to Markdown.</p>
      <p>
        Your notebook is a folder of plain JSON files on this computer; nothing leaves it unless you export or fetch a page. Running {host === 'electron' ? 'as the desktop app' : 'in browser mode'}, local API v{CONTRACT_VERSION}.
      </p>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => ref.current?.close()} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
