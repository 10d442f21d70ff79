import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  /** Id of the element that names the dialog (its heading). */
  labelledBy: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}

/**
 * A modal built on the native <dialog>: showModal() gives focus trapping, Escape to cancel, an inert page behind and
 * the dialog role for free, and Chromium returns focus to the control that opened it when it closes.
 */
export function Dialog({ labelledBy, onClose, className, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const closed = (): void => onCloseRef.current();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={labelledBy} className={`gloss-dialog ${className ?? ''}`}>
      {children}
    </dialog>
  );
}
