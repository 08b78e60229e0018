import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadLocomo } from '../../src/bench/locomo-dataset.js';
import { loadLongMemEval } from '../../src/bench/longmemeval-dataset.js';
import { metricPlan } from '../../src/bench/metrics.js';
import { runRetrievalBench } from '../../src/bench/retrieval-bench.js';
import { runRetrieval } from '../../src/bench/retrieval-runner.js';
import { EngramSystem, hitDialogIds } from '../../src/bench/systems/engram.js';
import { miniSearchPeer } from '../../src/bench/systems/minisearch.js';
import { oramaPeer } from '../../src/bench/systems/orama.js';
import { PeerSystem } from '../../src/bench/systems/peer.js';
import type { BenchCorpus, LoadedDataset, RetrievalSystem } from '../../src/bench/types.js';
import { open, type SearchHit } from '../../src/index.js';
import { DEFAULT_RETRIEVAL } from '../../src/retrieve/hybrid.js';
import { fakeEmbedder } from '../helpers/fake-embedder.js';
import { ISSUE_METRICS } from '../helpers/issue-metrics.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const locomo = () => loadLocomo(join(fixtures, 'locomo'));
const embedder = fakeEmbedder('fake-bench@1', [
  'cat',
  'pepper',
  'vase',
  'marathon',
  'kilometres',
  'pottery',
  'toronto',
  'clara',
  'knee',
  'physio',
  'italian',
  'pasta',
  'engineer',
  'collie',
  'dog',
  'piano',
  'violin',
  'lentil',
]);

/** Answers from a fixed table: the runner and metrics are checked against hand-computed values. */
function scripted(rankings: Record<string, string[]>): RetrievalSystem {
  return {
    name: 'scripted',
    config: { system: 'scripted' },
    async index(_corpus: BenchCorpus) {
      return {
        search: async (q, k) => (rankings[q.question] ?? []).slice(0, k),
        close: async () => {},
      };
    },
  };
}

describe('retrieval runner', () => {
  it('scores a scripted system with known answers, overall and per category', async () => {
    const data: LoadedDataset = {
      dataset: 'locomo',
      stats: {
        questionsTotal: 2,
        questionsWithoutEvidence: 0,
        evidence: { total: 3, split: 0, repaired: 0, dropped: 0, droppedIds: [] },
      },
      corpora: [
        {
          id: 'c',
          user: 'c',
          docs: ['D1:1', 'D1:2', 'D2:1', 'D2:2', 'D3:1', 'D3:2'].map((id) => ({
            id,
            session: `session_${id[1]}`,
            speaker: 'A',
            role: null,
            text: id,
            at: '2023-01-01T00:00:00.000Z',
          })),
          questions: [
            {
              question: 'q1',
              category: '4',
              evidenceTurns: ['D2:2'],
              evidenceSessions: ['session_2'],
              now: '2023-02-01T00:00:00.000Z',
            },
            {
              question: 'q2',
              category: '1',
              evidenceTurns: ['D1:1', 'D3:2'],
              evidenceSessions: ['session_1', 'session_3'],
              now: '2023-02-01T00:00:00.000Z',
            },
          ],
        },
      ],
    };
    const result = await runRetrieval(
      scripted({
        q1: ['D1:1', 'D2:1', 'D2:2', 'D3:1'],
        q2: ['D3:2', 'D2:1', 'D1:2', 'D2:2', 'D3:1', 'D1:1'],
      }),
      data,
      metricPlan(),
    );
    // q1: evidence at rank 3 → recall@5 = 1; best session session_1 holds none → hit@1 = 0.
    // q2: D3:2 at rank 1, D1:1 at rank 6 → recall@5 = 0.5, recall@10 = 1; best session session_3 → hit@1 = 1.
    assert.equal(result.byCategory['4']!['turnRecall@5'], 1);
    assert.equal(result.byCategory['4']!['sessionHit@1'], 0);
    assert.equal(result.byCategory['1']!['turnRecall@5'], 0.5);
    assert.equal(result.byCategory['1']!['turnRecall@10'], 1);
    assert.equal(result.byCategory['1']!['allEvidence@10'], 1);
    assert.equal(result.metrics['turnRecall@5'], 0.75);
    assert.equal(result.metrics['sessionHit@1'], 0.5);
    assert.deepEqual(Object.keys(result.byCategory), ['1', '4']);
    assert.deepEqual(result.categoryQuestions, { '1': 1, '4': 1 });
    assert.equal(result.questions, 2);
  });

  it('runs the peers on the fixture and finds the obvious evidence', async () => {
    const data = locomo();
    for (const system of [
      new PeerSystem(miniSearchPeer()),
      new PeerSystem(oramaPeer({ mode: 'bm25' })),
      new PeerSystem(oramaPeer({ mode: 'hybrid', embedder })),
    ]) {
      const r = await runRetrieval(system, data, metricPlan());
      assert.equal(r.questions, 7, system.name);
      // Word overlap finds most evidence; "What job does Ada have now?" shares no word with its answer.
      assert.ok(r.metrics['turnRecall@20']! >= 0.7, `${system.name} recall@20 ${r.metrics['turnRecall@20']}`);
      assert.ok(r.ingestTurnsPerSec > 0);
      const index = await system.index(data.corpora[0]!);
      const vase = data.corpora[0]!.questions[2]!;
      assert.equal(vase.question, 'What happened to the vase Ada made?');
      assert.deepEqual((await index.search(vase, 2)).sort(), ['D2:2', 'D2:4'], system.name);
    }
  });
});

describe('Engram hits to dialog ids', () => {
  it('keeps rank order, expands linked facts, skips hits without ids and cuts at k', () => {
    const hit = (metadata: Record<string, unknown>) => ({ metadata }) as unknown as SearchHit;
    const ids = hitDialogIds(
      [
        hit({ dialogId: 'D2:1' }),
        hit({ source: 'note' }),
        hit({ dialogIds: ['D1:1', 'D2:1', 'D3:3'] }),
        hit({ dialogId: 'D4:4' }),
      ],
      3,
    );
    assert.deepEqual(ids, ['D2:1', 'D1:1', 'D3:3']);
  });
});

describe('Engram on the fixtures (real engine)', () => {
  it('ingests a LoCoMo conversation into a fresh store and retrieves by dialog id', async () => {
    const system = new EngramSystem({ open, embedder });
    const data = locomo();
    const r = await runRetrieval(system, data, metricPlan());
    assert.equal(r.questions, 7);
    assert.ok(r.metrics['turnRecall@20']! >= 0.9, `recall@20 ${r.metrics['turnRecall@20']}`);
    const index = await system.index(data.corpora[0]!);
    try {
      const ranked = await index.search(data.corpora[0]!.questions[0]!, 5);
      assert.equal(ranked[0], 'D1:1');
    } finally {
      await index.close();
    }
  });

  it('produces the JSON shape of the issue for LongMemEval, peers and ratios included', async () => {
    const data = loadLongMemEval(join(fixtures, 'longmemeval-fx.json'));
    const report = await runRetrievalBench(data, { open, embedder, peers: true });
    const json = JSON.parse(JSON.stringify(report));
    assert.equal(json.dataset, 'longmemeval');
    assert.equal(json.conversations, 2);
    assert.equal(json.questions, 2);
    for (const key of ISSUE_METRICS) assert.equal(typeof json.metrics[key], 'number', key);
    assert.deepEqual(Object.keys(json.byCategory).sort(), ['multi-session', 'single-session-user']);
    for (const cat of Object.values(json.byCategory) as Record<string, number>[]) {
      for (const key of ISSUE_METRICS) assert.equal(typeof cat[key], 'number', key);
    }
    assert.equal(typeof json.latencyMs.p50, 'number');
    assert.equal(typeof json.latencyMs.p95, 'number');
    assert.ok(json.ingestTurnsPerSec > 0);
    assert.equal(json.config.embedder, 'fake-bench@1');
    assert.equal(json.config.reranker, null);
    assert.deepEqual(json.config.retrieval, JSON.parse(JSON.stringify(DEFAULT_RETRIEVAL)));
    assert.deepEqual(Object.keys(json.peers), ['orama-bm25', 'orama-hybrid', 'minisearch']);
    assert.deepEqual(Object.keys(json.ratios), ['orama-bm25', 'orama-hybrid', 'minisearch']);
    for (const peer of Object.values(json.peers) as { metrics: Record<string, number> }[]) {
      for (const key of ISSUE_METRICS) assert.equal(typeof peer.metrics[key], 'number', key);
    }
    // Single-session question: the only answer turn names "border collie", which the question's "dog" does not;
    // the embedder's vocabulary links them, so hybrid Engram ranks the answer session first.
    assert.equal(json.byCategory['single-session-user']['sessionHit@1'], 1);
  });
});
