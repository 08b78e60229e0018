import type { TextQuery } from '../types.js';
import { type Params, scopeWhere } from './filters.js';
import { fts5Tokens } from './tokens.js';

/** FTS5's bm25() constants. */
const K1 = 1.2;
const B = 0.75;

/**
 * One BM25 list as one SELECT of (id, score, seq), best first, or null when it cannot match anything; its
 * parameters go to `p`, so that the lists of a search share one statement. Scored as SQLite's FTS5 scores it
 * (bm25 with column weights 1 for the own text, `contextWeight` for the context, 0 for the scope column):
 *   score = Σ idf(t) · f(t) · (k1 + 1) / (f(t) + k1 · (1 − b + b · len / avgdl)),   f(t) = tf_own + w · tf_ctx
 *   idf(t) = max(ln((N − df + 0.5) / (df + 0.5)), 1e-6),  N = n_rows, avgdl = n_tokens / n_rows
 * over the tenant's statistics (fts_stats, term_stats), kept as FTS5 keeps its table's. A row matches when it
 * holds any term, in its own text or its context. The common-terms plan (large scopes, chosen by retrieval)
 * drops or narrows frequent terms as the SQLite store does, with the same document frequencies.
 */
export function textListSql(s: string, q: TextQuery, p: Params): string | null {
  const terms = [...new Set(fts5Tokens(q.terms))];
  if (terms.length === 0 || q.limit <= 0) return null;
  const tenant = p.add(q.filter.tenant);
  const termsParam = p.add(terms);
  const w = p.add(q.contextWeight);
  const plan = q.commonTerms;
  const scopeRows = () =>
    q.filter.user !== undefined
      ? `(SELECT coalesce(max(rows), 0) FROM ${s}.scope_versions WHERE tenant = ${tenant} AND user_id = ${p.add(q.filter.user)})`
      : 'st.live';
  const big = plan ? `(${scopeRows()} >= ${p.add(plan.fromScopeRows)} AND st.live > 0)` : 'false';
  const drop = plan ? p.add(plan.dropShare) : '2';
  const ownShare = plan ? p.add(plan.ownTextShare) : '2';
  const postingScope = q.filter.user !== undefined ? `AND p1.user_id = ${p.add(q.filter.user)}` : '';
  const where = scopeWhere(q.filter, p);
  return `
    WITH st AS (
      SELECT greatest(n_rows, 1)::float8 AS n, n_tokens::float8 / greatest(n_rows, 1) AS avgdl, n_live::float8 AS live
      FROM ${s}.fts_stats WHERE tenant = ${tenant}),
    q0 AS (
      SELECT t.term, coalesce(d.df, 0) AS df, coalesce(d.df_own, 0) AS df_own,
             CASE WHEN ${big} THEN coalesce(d.df, 0) / st.live ELSE 0 END AS share
      FROM (SELECT u COLLATE "C" AS term FROM unnest(${termsParam}::text[]) AS u) t CROSS JOIN st
      LEFT JOIN ${s}.term_stats d ON d.tenant = ${tenant} AND d.term = t.term),
    q1 AS (
      SELECT * FROM q0 WHERE share < ${drop} OR NOT EXISTS (SELECT 1 FROM q0 WHERE share < ${drop})),
    q AS (
      SELECT q1.term, q1.share >= ${ownShare} AS own_only,
             greatest(ln((st.n - d + 0.5) / (d + 0.5)), 1e-6) AS idf
      FROM q1 CROSS JOIN st CROSS JOIN LATERAL (SELECT CASE WHEN q1.share >= ${ownShare} THEN q1.df_own ELSE q1.df END AS d) x),
    hits AS (
      SELECT po.seq, sum(q.idf * f * ${K1 + 1} / (f + ${K1} * (${1 - B} + ${B} * po.len / st.avgdl))) AS score
      FROM q CROSS JOIN st
      CROSS JOIN LATERAL (
        SELECT p1.seq, p1.tf_own, p1.tf_ctx, p1.len FROM ${s}.postings p1
        WHERE p1.tenant = ${tenant} ${postingScope} AND p1.term = q.term AND (NOT q.own_only OR p1.tf_own > 0)) po
      CROSS JOIN LATERAL (SELECT po.tf_own + CASE WHEN q.own_only THEN 0 ELSE ${w}::float8 * po.tf_ctx END AS f) x
      GROUP BY po.seq)
    SELECT m.id, hits.score, hits.seq FROM hits
    CROSS JOIN LATERAL (SELECT * FROM ${s}.memories m0 WHERE m0.tenant = ${tenant} AND m0.seq = hits.seq) m
    WHERE ${where}
    ORDER BY hits.score DESC, hits.seq LIMIT ${p.add(q.limit)}`;
}
