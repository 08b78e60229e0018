import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import type { FusedCandidate } from '../../src/retrieve/fusion.js';
import { applySignals } from '../../src/retrieve/signals.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { fakeWords } from './fake-words.js';
import { SIGNALS_OFF } from './signals-off.js';

const NOW = new Date('2023-07-01T12:00:00Z');

function setup(specs: { id: string; score: number; memory?: Partial<Memory> }[]) {
  const candidates: FusedCandidate[] = specs.map((s) => ({ id: s.id, score: s.score, signals: {} }));
  const memories = new Map(specs.map((s) => [s.id, makeMemory({ id: s.id, ...s.memory })]));
  return { candidates, memories };
}

/** Scores by id, rounded to 6 decimals (word vectors are Float32). */
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const scores = (out: ReturnType<typeof applySignals>) =>
  Object.fromEntries(out.map((s) => [s.memory.id, round(s.score)]));
const expected = (values: Record<string, number>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v)]));

describe('applySignals', () => {
  it('starts from the fused score divided by the best one', () => {
    const { candidates, memories } = setup([
      { id: 'a', score: 2 },
      { id: 'b', score: 1 },
    ]);
    const out = applySignals(candidates, memories, { query: 'anything', now: NOW, config: SIGNALS_OFF });
    assert.deepEqual(scores(out), { a: 1, b: 0.5 });
    assert.equal(out[0]!.signals.fused, 2);
  });

  it('returns nothing when no candidate scores above zero, and skips candidates without a memory', () => {
    const { candidates, memories } = setup([{ id: 'a', score: 0 }]);
    assert.deepEqual(applySignals(candidates, memories, { query: 'x', now: NOW, config: SIGNALS_OFF }), []);
    const more = setup([
      { id: 'a', score: 1 },
      { id: 'gone', score: 0.9 },
    ]);
    more.memories.delete('gone');
    const out = applySignals(more.candidates, more.memories, { query: 'x', now: NOW, config: SIGNALS_OFF });
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['a'],
    );
  });

  it('session bonus: weight × (sum of the session top-N) / (best session sum)', () => {
    const { candidates, memories } = setup([
      { id: 'a', score: 1, memory: { session: 's1' } },
      { id: 'b', score: 0.9, memory: { session: 's2' } },
      { id: 'c', score: 0.8, memory: { session: 's2' } },
      { id: 'd', score: 0.1, memory: { session: 's2' } },
      { id: 'e', score: 0.5, memory: { session: null } },
    ]);
    const config = { ...SIGNALS_OFF, sessionWeight: 0.3, sessionTopN: 2 };
    const out = applySignals(candidates, memories, { query: 'x', now: NOW, config });
    // s1 sum 1.0, s2 top-2 sum 1.7 (best)
    assert.deepEqual(
      scores(out),
      expected({ a: 1 + (0.3 * 1) / 1.7, b: 0.9 + 0.3, c: 0.8 + 0.3, d: 0.1 + 0.3, e: 0.5 }),
    );
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['b', 'a', 'c', 'e', 'd'],
    );
  });

  it('date bonus only for "when" questions, only to memories that state a date', () => {
    const { candidates, memories } = setup([
      { id: 'plain', score: 1, memory: { text: 'We went camping in the mountains' } },
      { id: 'dated', score: 0.95, memory: { text: 'We went camping last weekend' } },
    ]);
    const config = { ...SIGNALS_OFF, dateBonus: 0.1 };
    const when = applySignals(candidates, memories, { query: 'When did they go camping?', now: NOW, config });
    assert.deepEqual(scores(when), expected({ plain: 1, dated: 0.95 + 0.1 }));
    assert.equal(when[0]!.memory.id, 'dated');
    const what = applySignals(candidates, memories, {
      query: 'Where did they go camping?',
      now: NOW,
      config,
    });
    assert.deepEqual(scores(what), { plain: 1, dated: 0.95 });
  });

  it('time-range bonus for memories that happened inside a range the query names', () => {
    const { candidates, memories } = setup([
      { id: 'may', score: 1, memory: { occurredAt: '2023-05-20T10:00:00.000Z' } },
      { id: 'june16', score: 0.6, memory: { occurredAt: '2023-06-16T18:00:00.000Z' } },
      { id: 'june17', score: 0.6, memory: { occurredAt: '2023-06-17T00:00:00.000Z' } },
    ]);
    const config = { ...SIGNALS_OFF, timeRangeBonus: 0.5 };
    const out = applySignals(candidates, memories, {
      query: 'What did Maria share on 16 June, 2023?',
      now: NOW,
      config,
    });
    assert.deepEqual(scores(out), expected({ may: 1, june16: 0.6 + 0.5, june17: 0.6 }));
    assert.equal(out[0]!.signals.timeRange, 0.5);
  });

  it('a vague range ("recently") earns its own, smaller bonus', () => {
    const { candidates, memories } = setup([
      { id: 'old', score: 1, memory: { occurredAt: '2023-03-01T10:00:00.000Z' } },
      { id: 'recent', score: 0.9, memory: { occurredAt: '2023-06-25T10:00:00.000Z' } },
    ]);
    const config = { ...SIGNALS_OFF, timeRangeBonus: 0.5, vagueTimeBonus: 0.15 };
    const out = applySignals(candidates, memories, {
      query: 'What did Maria paint recently?',
      now: NOW,
      config,
    });
    assert.deepEqual(scores(out), expected({ old: 1, recent: 0.9 + 0.15 }));
  });

  it('speaker bonus for memories said by a person the query names', () => {
    const { candidates, memories } = setup([
      { id: 'mel', score: 1, memory: { speaker: 'Melanie' } },
      { id: 'car', score: 0.99, memory: { speaker: 'Caroline Smith' } },
      { id: 'none', score: 0.98, memory: { speaker: null } },
    ]);
    const config = { ...SIGNALS_OFF, speakerBonus: 0.05 };
    const out = applySignals(candidates, memories, { query: 'What did Caroline paint?', now: NOW, config });
    assert.deepEqual(scores(out), expected({ mel: 1, car: 0.99 + 0.05, none: 0.98 }));
  });

  it('soft-match bonus: weight × the soft score of the memory text', () => {
    const words = fakeWords({
      stress: { vector: [1, 0] },
      destress: { vector: [0.8, 0.6] },
      guitar: { vector: [0, 1] },
    });
    const { candidates, memories } = setup([
      { id: 'guitar', score: 1, memory: { text: 'playing guitar' } },
      { id: 'near', score: 0.9, memory: { text: 'ways to destress' } },
    ]);
    const config = { ...SIGNALS_OFF, softMatchWeight: 0.3, softMatchFloor: 0.4 };
    const out = applySignals(candidates, memories, { query: 'stress', now: NOW, config, words });
    // near: 0.9 + 0.3 × (0.8 - 0.4) / 0.6 = 1.1
    assert.deepEqual(scores(out), expected({ guitar: 1, near: 0.9 + (0.3 * 0.4) / 0.6 }));
    assert.equal(out[0]!.memory.id, 'near');
  });

  it('multiplies by the rank factor last', () => {
    const { candidates, memories } = setup([
      { id: 'a', score: 1, memory: { importance: 0.1 } },
      { id: 'b', score: 0.9, memory: { importance: 0.9 } },
    ]);
    const out = applySignals(candidates, memories, {
      query: 'x',
      now: NOW,
      config: SIGNALS_OFF,
      rankFactor: (m) => (m.importance > 0.5 ? 1.5 : 1),
    });
    assert.deepEqual(scores(out), expected({ a: 1, b: 0.9 * 1.5 }));
    assert.equal(out[0]!.signals.lifecycle, 1.5);
    assert.equal(out[1]!.signals.lifecycle, undefined);
  });

  it('duration bonus: a "how long has" question lifts the memories that say how long something has lasted', () => {
    const { candidates, memories } = setup([
      { id: 'date', score: 1, memory: { text: 'We adopted Biscuit last spring.' } },
      { id: 'span', score: 0.9, memory: { text: "We've had Biscuit for about two years now." } },
      { id: 'past', score: 0.8, memory: { text: 'We walked Biscuit for two hours.' } },
    ]);
    const config = { ...SIGNALS_OFF, durationBonus: 0.15 };
    const asked = applySignals(candidates, memories, {
      query: 'How long has Ida had Biscuit?',
      now: NOW,
      config,
    });
    assert.deepEqual(scores(asked), expected({ date: 1, span: 0.9 + 0.15, past: 0.8 }));
    assert.equal(asked[0]!.memory.id, 'span');
    assert.equal(asked[0]!.signals.duration, 0.15);
    // Another question shape: no bonus.
    const other = applySignals(candidates, memories, {
      query: 'When did Ida adopt Biscuit?',
      now: NOW,
      config,
    });
    assert.deepEqual(scores(other), expected({ date: 1, span: 0.9, past: 0.8 }));
  });

  it('session strength counts the time-range bonus: a session said inside the named range is strong as a whole', () => {
    const june = '2023-06-10T09:00:00Z';
    const march = '2023-03-02T09:00:00Z';
    const { candidates, memories } = setup([
      { id: 'c', score: 1, memory: { session: 'march', occurredAt: march } },
      { id: 'd', score: 0.4, memory: { session: 'march', occurredAt: march } },
      { id: 'a', score: 0.35, memory: { session: 'june', occurredAt: june } },
      { id: 'b', score: 0.35, memory: { session: 'june', occurredAt: june } },
    ]);
    const config = { ...SIGNALS_OFF, sessionWeight: 0.3, sessionTopN: 2, timeRangeBonus: 0.5 };
    const out = applySignals(candidates, memories, {
      query: 'What did Ida bake in June 2023?',
      now: NOW,
      config,
    });
    // June: (0.35 + 0.5) × 2 = 1.7, the best session; March: 1.4. Counted before the bonus, June would be
    // 0.7 against 1.4 and earn half the session bonus.
    assert.deepEqual(
      scores(out),
      expected({
        a: 0.35 + 0.5 + 0.3,
        b: 0.35 + 0.5 + 0.3,
        c: 1 + (0.3 * 1.4) / 1.7,
        d: 0.4 + (0.3 * 1.4) / 1.7,
      }),
    );
  });
});
