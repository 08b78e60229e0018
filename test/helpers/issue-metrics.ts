/**
 * The metric keys the bench issue promises in `engram bench locomo --json`, written out rather than imported
 * from src/bench/metrics.ts: the tests check the code against the promise, not against itself.
 */
export const ISSUE_METRICS: readonly string[] = [
  'turnRecall@5',
  'turnRecall@10',
  'turnRecall@20',
  'allEvidence@10',
  'sessionHit@1',
  'sessionRecall@5',
  'sessionNdcg@5',
];
