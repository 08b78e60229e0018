/**
 * Lexical answer scores of the LoCoMo QA comparisons (Mem0 paper, §4): token F1 and BLEU-1 between the
 * generated and the gold answer, over lower-cased tokens with punctuation removed. F1 counts shared tokens
 * with multiplicity (as SQuAD does); BLEU-1 is clipped unigram precision times the brevity penalty
 * exp(1 − r/c) when the answer is shorter than the reference, as a single-reference sentence BLEU with
 * weights (1, 0, 0, 0).
 */
export function answerTokens(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
}

function counts(tokens: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tokens) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

function overlap(a: readonly string[], b: readonly string[]): number {
  const cb = counts(b);
  let shared = 0;
  for (const [t, n] of counts(a)) shared += Math.min(n, cb.get(t) ?? 0);
  return shared;
}

export function tokenF1(generated: string, gold: string): number {
  const g = answerTokens(generated);
  const r = answerTokens(gold);
  if (g.length === 0 || r.length === 0) return g.length === r.length ? 1 : 0;
  const shared = overlap(g, r);
  if (shared === 0) return 0;
  const precision = shared / g.length;
  const recall = shared / r.length;
  return (2 * precision * recall) / (precision + recall);
}

export function bleu1(generated: string, gold: string): number {
  const c = answerTokens(generated);
  const r = answerTokens(gold);
  if (c.length === 0 || r.length === 0) return 0;
  const precision = overlap(c, r) / c.length;
  const brevity = c.length >= r.length ? 1 : Math.exp(1 - r.length / c.length);
  return precision * brevity;
}
