import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPerf } from '../../src/bench/perf-runner.js';
import { seededRandom, syntheticWorkload, zipfSampler } from '../../src/bench/synthetic.js';

describe('synthetic workload', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = syntheticWorkload({ size: 500, queries: 20, seed: 7 });
    const b = syntheticWorkload({ size: 500, queries: 20, seed: 7 });
    const c = syntheticWorkload({ size: 500, queries: 20, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.memories[0], c.memories[0]);
  });

  it('has chat-like lengths, many users of unequal size, and queries that share words with a memory', () => {
    const w = syntheticWorkload({ size: 4000, queries: 50, seed: 1 });
    assert.equal(w.memories.length, 4000);
    assert.equal(w.users, 20);
    assert.ok(w.largestUser > 4000 / 20, 'the largest user holds more than an equal share');
    assert.ok(w.meanWords > 12 && w.meanWords < 40, `mean words ${w.meanWords}`);
    const lengths = w.memories.map((m) => m.text.split(' ').length);
    assert.ok(Math.min(...lengths) >= 3);
    assert.ok(Math.max(...lengths) <= 140);
    const users = new Set(w.memories.map((m) => m.user));
    for (const q of w.queries) {
      assert.ok(users.has(q.user));
      const words = q.text.replace('?', '').split(' ').slice(-2);
      const own = w.memories.filter((m) => m.user === q.user).map((m) => m.text.toLowerCase());
      assert.ok(
        words.some((word) => own.some((t) => t.includes(word))),
        `query "${q.text}" shares no word with its user's memories`,
      );
    }
  });

  it('puts every memory in one scope with users: 1, and asks only that user', () => {
    const w = syntheticWorkload({ size: 700, queries: 30, seed: 2, users: 1 });
    assert.equal(w.memories.length, 700);
    assert.equal(w.users, 1);
    assert.equal(w.largestUser, 700);
    assert.deepEqual([...new Set(w.memories.map((m) => m.user))], ['user-0']);
    assert.deepEqual([...new Set(w.queries.map((q) => q.user))], ['user-0']);
    // Sessions of 20 memories, as in the many-user workload.
    assert.equal(new Set(w.memories.map((m) => m.session)).size, 36);
    const many = syntheticWorkload({ size: 4000, queries: 10, seed: 1, users: 7 });
    assert.equal(many.users, 7);
  });

  it('samples ranks with Zipf frequencies', () => {
    const sample = zipfSampler(100, 1, seededRandom(3));
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 50_000; i++) counts[sample()]!++;
    // P(rank 0) / P(rank 1) = 2 and P(rank 0) / P(rank 9) = 10 for s = 1.
    assert.ok(Math.abs(counts[0]! / counts[1]! - 2) < 0.2, `${counts[0]} / ${counts[1]}`);
    assert.ok(Math.abs(counts[0]! / counts[9]! - 10) < 1.5, `${counts[0]} / ${counts[9]}`);
  });
});

describe('perf runner', () => {
  it('measures Engram and a peer in child processes and reports medians', async () => {
    const report = await runPerf({
      sizes: [300],
      runs: 2,
      queries: 15,
      systems: ['engram', 'minisearch'],
      embedder: 'none',
    });
    assert.equal(report.benchmark, 'perf');
    assert.ok(report.machine.cores >= 1);
    assert.match(report.machine.node, /^v\d+/);
    assert.deepEqual(
      report.results.map((r) => [r.system, r.size, r.runs]),
      [
        ['engram', 300, 2],
        ['minisearch', 300, 2],
      ],
    );
    for (const r of report.results) {
      assert.deepEqual(Object.keys(r.searchMs), ['bm25']);
      const s = r.searchMs.bm25!;
      assert.ok(s.p50 > 0 && s.p50 <= s.p95 && s.p95 <= s.p99, JSON.stringify(s));
      assert.ok(r.ingestPerSec > 0);
      assert.ok(r.peakRssMb >= r.baselineRssMb && r.baselineRssMb > 10);
    }
    const engram = report.results[0]!;
    assert.ok(engram.diskBytesPerMemory! > 100, `disk bytes/memory ${engram.diskBytesPerMemory}`);
    assert.equal(report.results[1]!.diskBytesPerMemory, null);
    assert.deepEqual(
      report.ratios.map((r) => [r.peer, r.size, Object.keys(r.searchP50)]),
      [['minisearch', 300, ['bm25']]],
    );
  });
});
