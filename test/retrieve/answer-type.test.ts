import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asksForPlace, boostPlaces } from '../../src/retrieve/answer-type.js';
import type { ScoredMemory } from '../../src/retrieve/signals.js';
import { makeMemory } from '../helpers/memory-factory.js';

describe('questions that ask for a place', () => {
  it('recognises where, which country / city / place, and the Chinese forms', () => {
    for (const q of [
      'Where did Tomas spend his birthday?',
      'Which city did my cousin move to last spring?',
      'What places should I see on the coast?',
      'Which countries has Ines worked in?',
      '我表哥去年搬到哪个城市了？',
      '她周末一般去哪里爬山？',
    ]) {
      assert.ok(asksForPlace(q), q);
    }
    for (const q of ['What did Tomas cook on Friday?', 'Which book did Ines lend me?', '我喜欢吃什么水果？'])
      assert.ok(!asksForPlace(q), q);
  });
});

describe('boostPlaces', () => {
  const scored = (): ScoredMemory[] => [
    {
      memory: makeMemory({ id: 'verb', text: 'I would love to visit more museums this year.' }),
      score: 1,
      signals: {},
    },
    {
      memory: makeMemory({ id: 'place', text: 'We are saving up for a trip to Portugal.' }),
      score: 0.9,
      signals: {},
    },
  ];

  it('a memory that names a place passes one that only shares the verb', () => {
    const out = boostPlaces(scored(), 'Which country should we visit next?', 0.15);
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['place', 'verb'],
    );
    assert.equal(out[0]!.score, 0.9 + 0.15);
    assert.equal(out[0]!.signals.place, 0.15);
  });

  it('other questions, and a bonus of 0, leave the order alone', () => {
    assert.deepEqual(
      boostPlaces(scored(), 'What should we do next year?', 0.15).map((s) => s.memory.id),
      ['verb', 'place'],
    );
    assert.deepEqual(
      boostPlaces(scored(), 'Which country should we visit next?', 0).map((s) => s.memory.id),
      ['verb', 'place'],
    );
  });
});
