/**
 * A confirmation in a native modal <dialog>: focus moves into it, Escape cancels, the page behind is inert.
 * `confirmText`, when given, must be typed before the destructive button unlocks.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ConfirmProps {
  title: string;
  children: ComponentChildren;
  action: string;
  danger?: boolean;
  confirmText?: string;
  onConfirm(): Promise<void> | void;
  onClose(): void;
}

export function Confirm({ title, children, action, danger, confirmText, onConfirm, onClose }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const locked = confirmText !== undefined && typed !== confirmText;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (locked || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="dialog" onClose={onClose} aria-labelledby="dialog-title">
      <form method="dialog" onSubmit={submit}>
        <h2 id="dialog-title">{title}</h2>
        <div class="dialog-body">{children}</div>
        {confirmText !== undefined ? (
          <label class="field">
            <span>
              Type <code>{confirmText}</code> to confirm
            </span>
            <input
              value={typed}
              onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
              autoComplete="off"
              spellcheck={false}
            />
          </label>
        ) : null}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="actions">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class={danger ? 'danger' : 'primary'} disabled={locked || busy}>
            {busy ? 'Working…' : action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
