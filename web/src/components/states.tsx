/** Loading, empty and error states: same box sizes as the content they stand for, so nothing jumps. */
import type { ComponentChildren } from 'preact';

export function Loading({ rows = 3, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="sr-only">{label}…</span>
      {Array.from({ length: rows }, (_, i) => (
        <div class="skeleton" key={i} aria-hidden="true" />
      ))}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children ? <div class="empty-hint">{children}</div> : null}
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const code = (error as Error & { code?: string }).code;
  return (
    <div class="error" role="alert">
      <strong>{code ? `${code}: ` : ''}</strong>
      {error.message}
      {retry ? (
        <button type="button" class="link" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
