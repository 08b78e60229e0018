import { EngramError } from '../../core/errors.js';

/**
 * LLM work that failed and was done offline instead (rules for facts, extractive summaries, "keep both" for
 * a conflict). Nothing is lost — the turns are stored first — but the caller is told, and what can be redone
 * is marked in the memory's metadata under LLM_PENDING_KEY so that `maintain` redoes it with the LLM later.
 */
export interface LlmFallback {
  task: 'extract' | 'judge' | 'summary';
  /** The LLM's error code: LLM_ERROR (also for an answer that fails validation) or TIMEOUT. */
  code: string;
  message: string;
  /** Turns, fact pairs or sessions the fallback covered. */
  items: number;
  /** Whether the work is marked for `maintain` to redo. */
  retryable: boolean;
}

/** Metadata key of a turn whose LLM fact extraction failed, or a summary written without the LLM. */
export const LLM_PENDING_KEY = 'llmPending';

export function llmFallback(
  task: LlmFallback['task'],
  error: unknown,
  items: number,
  retryable: boolean,
): LlmFallback {
  if (error instanceof EngramError)
    return { task, code: error.code, message: error.message, items, retryable };
  // Anything else is an answer that failed validation (not JSON, wrong shape).
  const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);
  return {
    task,
    code: 'LLM_ERROR',
    message: `The LLM's answer was not the JSON asked for (${detail}).`,
    items,
    retryable,
  };
}

/** One line for a person: what failed, what was done instead, how to redo it. */
export function describeFallbacks(fallbacks: readonly LlmFallback[]): string | null {
  if (fallbacks.length === 0) return null;
  const byTask = new Map<string, number>();
  for (const f of fallbacks) byTask.set(f.task, (byTask.get(f.task) ?? 0) + f.items);
  const what = [...byTask].map(([task, n]) => `${task} ×${n}`).join(', ');
  const retry = fallbacks.some((f) => f.retryable)
    ? ' The affected memories are marked; run `engram maintain` with the LLM configured to redo them.'
    : '';
  return `the LLM failed (${what}): ${fallbacks[0]!.message} Offline methods were used instead; nothing was lost.${retry}`;
}
