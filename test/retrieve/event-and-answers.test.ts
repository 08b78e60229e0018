import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Memory } from '../../src/core/types.js';
import type { FusedCandidate } from '../../src/retrieve/fusion.js';
import { conversationReference, planQuery } from '../../src/retrieve/query-plan.js';
import { applySignals, isQuestion, type SignalConfig } from '../../src/retrieve/signals.js';
import { makeMemory } from '../helpers/memory-factory.js';
import { SIGNALS_OFF } from './signals-off.js';

const NOW = new Date('2023-09-30T12:00:00Z');

function run(
  specs: { id: string; score: number; memory: Partial<Memory> }[],
  query: string,
  config: Partial<SignalConfig>,
  conversationSession?: string,
) {
  const candidates: FusedCandidate[] = specs.map((s) => ({ id: s.id, score: s.score, signals: {} }));
  const memories = new Map(specs.map((s) => [s.id, makeMemory({ id: s.id, kind: 'turn', ...s.memory })]));
  return applySignals(candidates, memories, {
    query,
    now: NOW,
    config: { ...SIGNALS_OFF, ...config },
    ...(conversationSession ? { conversationSession } : {}),
  });
}

describe('event-time signal', () => {
  it('a memory that says it happened in the queried range gains the bonus times its share inside', () => {
    const out = run(
      [
        {
          id: 'said-later',
          score: 1,
          memory: { text: 'Last Sunday I repaired the bike.', occurredAt: '2023-09-14T10:00:00Z' },
        },
        {
          id: 'month',
          score: 1,
          memory: { text: 'I repaired bikes all of last month.', occurredAt: '2023-10-03T10:00:00Z' },
        },
        {
          id: 'other',
          score: 1,
          memory: { text: 'I repaired the bike today.', occurredAt: '2023-09-20T10:00:00Z' },
        },
      ],
      'what did I do on 10 September 2023?',
      { eventTimeBonus: 0.5, timeRangeBonus: 0.5 },
    );
    const byId = Object.fromEntries(out.map((s) => [s.memory.id, s]));
    assert.equal(byId['said-later']!.score, 1.5);
    assert.deepEqual(byId['said-later']!.signals.eventTime, { bonus: 0.5, text: 'Last Sunday' });
    assert.equal(byId.month!.score, 1 + 0.5 / 30);
    assert.equal(byId.other!.score, 1);
  });
});

describe("answers take their question's place", () => {
  const turns = [
    {
      id: 'q',
      score: 1,
      memory: { speaker: 'Bo', text: 'Which films do you like?', occurredAt: '2023-09-01T10:00:00Z' },
    },
    {
      id: 'y',
      score: 0.95,
      memory: { session: 's2', speaker: 'Ann', text: 'Films, films.', occurredAt: '2023-09-02T09:00:00Z' },
    },
    {
      id: 'x',
      score: 0.85,
      memory: { speaker: 'Ann', text: 'I like films a lot.', occurredAt: '2023-09-01T09:00:00Z' },
    },
    {
      id: 'a',
      score: 0.2,
      memory: { speaker: 'Ann', text: 'Mostly comedies.', occurredAt: '2023-09-01T10:00:30Z' },
    },
  ];

  it("the reply rises to answerWeight × the question, capped just above its session's best", () => {
    const out = run(turns, 'which films do I like', { answerWeight: 1.2, questionKeep: 0.9 });
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['a', 'y', 'q', 'x'],
    );
    assert.equal(out[0]!.score, 1 + 1e-6);
    assert.equal(out.find((s) => s.memory.id === 'q')!.score, 0.9);
  });

  it('a reply from the same speaker, or long after, is not an answer', () => {
    const same = turns.map((t) => (t.id === 'a' ? { ...t, memory: { ...t.memory, speaker: 'Bo' } } : t));
    assert.equal(run(same, 'films', { answerWeight: 1.2 }).find((s) => s.memory.id === 'a')!.score, 0.2);
    const late = turns.map((t) =>
      t.id === 'a' ? { ...t, memory: { ...t.memory, occurredAt: '2023-09-01T12:00:00Z' } } : t,
    );
    assert.equal(run(late, 'films', { answerWeight: 1.2 }).find((s) => s.memory.id === 'a')!.score, 0.2);
  });

  it('recognises questions in English and Chinese', () => {
    for (const q of ['Which films do you like?', '你喜欢哪种菜系呢？', '你去过杭州吗', '真的吗。'])
      assert.ok(isQuestion(q), q);
    for (const s of ['I like comedies.', '我喜欢川菜。', 'Why not.']) assert.ok(!isQuestion(s), s);
  });
});

describe('conversation references', () => {
  it('first, last, and "what did we talk about on …" (the last needs a date)', () => {
    assert.equal(conversationReference('What did you recommend the first time we talked?', false), 'first');
    assert.equal(conversationReference('我们第一次聊天的时候你给我推荐了什么书？', false), 'first');
    assert.equal(conversationReference('Last time we talked, what was I worried about?', false), 'last');
    assert.equal(conversationReference('上次你推荐的那家店叫什么？', false), 'last');
    assert.equal(conversationReference('我们3月12号聊了些什么？', true), 'day');
    assert.equal(conversationReference('What did we talk about on 2 May?', true), 'day');
    assert.equal(conversationReference('What did we talk about?', false), null);
    assert.equal(conversationReference('The last time I went swimming was cold.', false), null);
    assert.equal(conversationReference('上次去北京是什么时候？', false), null);
  });

  it('planQuery reads the reference and the date together', () => {
    const plan = planQuery('那天我们聊了什么？6月1号那天', NOW);
    assert.equal(plan.conversation, 'day');
    assert.equal(new Date(plan.ranges[0]!.start).toISOString().slice(0, 10), '2023-06-01');
    // A vague count is a nudge, never a filter.
    const few = planQuery('A few days ago I mentioned a park', NOW);
    assert.equal(few.ranges.length, 0);
    assert.equal(few.vagueRanges.length, 1);
  });

  it('every memory of the referred session gains the conversation bonus', () => {
    const out = run(
      [
        { id: 'later', score: 1, memory: { session: 'day-9', text: 'Books again.' } },
        { id: 'first', score: 0.3, memory: { session: 'day-1', text: 'Hello!' } },
      ],
      'the first time we talked, which book did you recommend?',
      { conversationBonus: 1 },
      'day-1',
    );
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['first', 'later'],
    );
    assert.equal(out[0]!.signals.conversation, 1);
  });
});
