/**
 * Retrieval metrics over ranked doc ids. Everything here is pure: a ranking, the relevant ids, a cut-off.
 *
 * Session ranking: a session scores as its best turn, so sessions are ordered by where their first turn
 * appears in the turn ranking. Only the retrieved turns are seen, so a session that has no turn in the top
 * `depth` turns is not ranked at all.
 *
 * NDCG uses binary relevance: DCG@k = Σ_{i=1..k} rel_i / log2(i + 1) with rel_i ∈ {0, 1}, and
 * IDCG@k = Σ_{i=1..min(|R|, k)} 1 / log2(i + 1), the DCG of a ranking that puts every relevant item first.
 */
import type { BenchQuestion } from './types.js';

/** Fraction of the relevant ids found in the first `k` of `ranked`. */
export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  return countRelevant(ranked, relevant, k) / relevant.size;
}

/** 1 when every relevant id is in the first `k`, else 0. */
export function allAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  return countRelevant(ranked, relevant, k) === relevant.size ? 1 : 0;
}

/** 1 when at least one relevant id is in the first `k`, else 0. */
export function hitAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  return countRelevant(ranked, relevant, k) > 0 ? 1 : 0;
}

export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  let dcg = 0;
  const seen = new Set<string>();
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) {
    const id = ranked[i]!;
    // A ranking that repeats an id must not earn its gain twice.
    if (relevant.has(id) && !seen.has(id)) dcg += 1 / Math.log2(i + 2);
    seen.add(id);
  }
  let idcg = 0;
  for (let i = 0; i < Math.min(relevant.size, k); i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
}

function countRelevant(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const found = new Set<string>();
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i]!)) found.add(ranked[i]!);
  return found.size;
}

/** Sessions in the order of their best (first-ranked) turn; turns of unknown session are skipped. */
export function rankSessions(
  rankedDocs: readonly string[],
  sessionOf: (docId: string) => string | undefined,
) {
  const sessions: string[] = [];
  const seen = new Set<string>();
  for (const doc of rankedDocs) {
    const s = sessionOf(doc);
    if (s === undefined || seen.has(s)) continue;
    seen.add(s);
    sessions.push(s);
  }
  return sessions;
}

/** Which cut-offs to report. The issue's fixed keys are always present; `--k` adds more. */
export interface MetricPlan {
  turnKs: number[];
  sessionKs: number[];
  /** Token budgets for `contextRecall@<budget>` (the evidence found in the built context); often none. */
  contextBudgets: number[];
}

export const DEFAULT_TURN_KS = [5, 10, 20];
export const DEFAULT_SESSION_KS = [5, 10];

export function metricPlan(
  extraKs: readonly number[] = [],
  contextBudgets: readonly number[] = [],
): MetricPlan {
  const turnKs = [...new Set([...DEFAULT_TURN_KS, ...extraKs])].sort((a, b) => a - b);
  return {
    turnKs,
    sessionKs: DEFAULT_SESSION_KS,
    contextBudgets: [...new Set(contextBudgets)].sort((a, b) => a - b),
  };
}

/**
 * Share of the evidence turns found in a built context: `inContext` holds the dialog ids of the turns in the
 * block and of the turns each fact in it was derived from.
 */
export function contextRecall(inContext: ReadonlySet<string>, evidence: readonly string[]): number {
  const relevant = new Set(evidence);
  if (relevant.size === 0) return Number.NaN;
  let n = 0;
  for (const id of relevant) if (inContext.has(id)) n++;
  return n / relevant.size;
}

/** How many turns to retrieve per question so that every metric of the plan can be computed. */
export function rankingDepth(plan: MetricPlan): number {
  return Math.max(...plan.turnKs, ...plan.sessionKs);
}

export type MetricValues = Record<string, number>;

/**
 * Every metric of one question. Turn metrics need evidence turns and session metrics evidence sessions;
 * a metric that cannot be computed is left out, so it does not drag the mean towards zero.
 */
export function scoreQuestion(
  ranked: readonly string[],
  question: Pick<BenchQuestion, 'evidenceTurns' | 'evidenceSessions'>,
  sessionOf: (docId: string) => string | undefined,
  plan: MetricPlan,
): MetricValues {
  const out: MetricValues = {};
  const turns = new Set(question.evidenceTurns);
  if (turns.size > 0) {
    for (const k of plan.turnKs) {
      out[`turnRecall@${k}`] = recallAtK(ranked, turns, k);
      out[`allEvidence@${k}`] = allAtK(ranked, turns, k);
      out[`turnNdcg@${k}`] = ndcgAtK(ranked, turns, k);
    }
  }
  const sessions = new Set(question.evidenceSessions);
  if (sessions.size > 0) {
    const rankedSessions = rankSessions(ranked, sessionOf);
    out['sessionHit@1'] = hitAtK(rankedSessions, sessions, 1);
    // Session-level R@k as other memory projects publish it: an evidence session among the sessions of the
    // top k turns (not the top k sessions).
    for (const k of plan.sessionKs) {
      out[`sessionHit@${k}`] = hitAtK(rankSessions(ranked.slice(0, k), sessionOf), sessions, k);
    }
    for (const k of plan.sessionKs) {
      out[`sessionRecall@${k}`] = recallAtK(rankedSessions, sessions, k);
      out[`sessionNdcg@${k}`] = ndcgAtK(rankedSessions, sessions, k);
    }
  }
  return out;
}

/** The metrics the issue's JSON promises, in its order; other tools read them, so never rename. */
export const ISSUE_METRIC_KEYS: readonly string[] = [
  'turnRecall@5',
  'turnRecall@10',
  'turnRecall@20',
  'allEvidence@10',
  'sessionHit@1',
  'sessionRecall@5',
  'sessionNdcg@5',
];

/** The key order of the output: the issue's keys first (other tools read them), then the extras. */
export function metricKeys(plan: MetricPlan): string[] {
  const extra: string[] = [];
  for (const k of plan.turnKs) extra.push(`turnRecall@${k}`, `allEvidence@${k}`, `turnNdcg@${k}`);
  for (const k of plan.sessionKs) extra.push(`sessionHit@${k}`, `sessionRecall@${k}`, `sessionNdcg@${k}`);
  for (const b of plan.contextBudgets) extra.push(`contextRecall@${b}`);
  return [...new Set([...ISSUE_METRIC_KEYS, ...extra])];
}

/** Mean of each metric over the questions that define it, in `keys` order. */
export function meanMetrics(scores: readonly MetricValues[], keys: readonly string[]): MetricValues {
  const out: MetricValues = {};
  for (const key of keys) {
    let sum = 0;
    let n = 0;
    for (const s of scores) {
      const v = s[key];
      if (v === undefined || Number.isNaN(v)) continue;
      sum += v;
      n++;
    }
    if (n > 0) out[key] = sum / n;
  }
  return out;
}
