import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A native modal <dialog> (focus trap, Escape and the backdrop come from the browser), titled by
 * its h2. `onClose` runs however it closes, so the caller's `open` state never goes stale.
 */
export function Modal({
  open,
  title,
  onClose,
  className,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} className={className} onClose={onClose}>
      {open && (
        <div className="stack">
          <h2 id={titleId}>{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}
