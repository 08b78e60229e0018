/**
 * LoCoMo's evidence annotations are hand-written and sometimes malformed: several ids in one string
 * ("D8:6; D9:17", "D3:1 D3:2"), a stray colon ("D:11:26"), zero-padded turn numbers ("D30:05"), or an id that
 * names no turn at all ("D"). Scoring against malformed ids would count correct retrievals as misses, so ids
 * are rewritten into the canonical `D<session>:<turn>` form, and those that still match no turn are dropped
 * and counted rather than silently kept.
 */
import type { EvidenceStats } from './types.js';

const ID = /^D\s*:?\s*(\d+)\s*:\s*(\d+)$/i;

/** "D:11:26" → "D11:26", "D30:05" → "D30:5"; null when the text is not a dialog id at all. */
export function canonicalDialogId(raw: string): string | null {
  const m = ID.exec(raw.trim());
  if (!m) return null;
  return `D${Number(m[1])}:${Number(m[2])}`;
}

/** Splits an annotation that joins several ids with spaces, `;` or `,`. */
export function splitEvidence(raw: string): string[] {
  // "D:11:26" must stay one id, so split only where a new "D" starts after a separator.
  return raw
    .split(/[;,]|\s+(?=D)/i)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function emptyEvidenceStats(): EvidenceStats {
  return { total: 0, split: 0, repaired: 0, dropped: 0, droppedIds: [] };
}

const MAX_DROPPED_LISTED = 50;

/**
 * Normalises one question's evidence against the ids its conversation really has, adding to `stats`.
 * Returns the distinct canonical ids that match a turn, in annotation order.
 */
export function normaliseEvidence(
  raw: readonly string[],
  known: ReadonlySet<string>,
  stats: EvidenceStats,
  where = '',
): string[] {
  const out: string[] = [];
  for (const annotation of raw) {
    const pieces = splitEvidence(annotation);
    if (pieces.length > 1) stats.split++;
    for (const piece of pieces) {
      stats.total++;
      const id = canonicalDialogId(piece);
      if (id !== null && id !== piece) stats.repaired++;
      if (id === null || !known.has(id)) {
        stats.dropped++;
        if (stats.droppedIds.length < MAX_DROPPED_LISTED)
          stats.droppedIds.push(where ? `${where}:${piece}` : piece);
        continue;
      }
      if (!out.includes(id)) out.push(id);
    }
  }
  return out;
}

/** Adds `b` into `a` (for totals over several conversations). */
export function addEvidenceStats(a: EvidenceStats, b: EvidenceStats): void {
  a.total += b.total;
  a.split += b.split;
  a.repaired += b.repaired;
  a.dropped += b.dropped;
  for (const id of b.droppedIds) if (a.droppedIds.length < MAX_DROPPED_LISTED) a.droppedIds.push(id);
}
