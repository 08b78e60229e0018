/**
 * A restatement: a note or fact stored again word for word (same user, agent, kind and text). It is one
 * memory said twice, so it reinforces the stored memory instead of adding a copy — and keeps what the new
 * statement adds (docs/memory-model.md, "Restatements"):
 * - metadata is merged: new keys are added, keys given again take the new value;
 * - `importance` and `occurredAt`, when the restatement gives them, replace the stored ones;
 * - strength and access count rise as for any reinforcement, dated when it was said;
 * - everything else (id, validity, session, speaker) stays; the history entry (`reinforce`, before and
 *   after) keeps the earlier values and the time of the restatement.
 */
import type { Memory, MemoryInput } from '../../core/types.js';
import { reinforceOnRestatement } from './decay.js';

/** The stored memory after `input` (already validated and completed as `prepared`) restated it. */
export function restate(existing: Memory, input: MemoryInput, prepared: Memory, now: Date): Memory {
  const next: Memory = {
    ...existing,
    ...reinforceOnRestatement(existing, now),
    updatedAt: now.toISOString(),
  };
  if (input.metadata !== undefined) next.metadata = { ...existing.metadata, ...prepared.metadata };
  if (input.importance !== undefined) next.importance = prepared.importance;
  if (input.occurredAt !== undefined) next.occurredAt = prepared.occurredAt;
  return next;
}
