import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boostSpeakers, diversifyBySession, questionShape } from '../../src/retrieve/question-shape.js';

describe('questionShape', () => {
  it('tells set questions in English and Chinese', () => {
    for (const q of [
      'What hobbies does Priya have?',
      'Which cities has Omar visited?',
      'Where has Priya gone hiking?',
      'How many times did Omar go skiing?',
      'What kinds of cake does Priya bake?',
      'What are Omar’s favourite bands?',
      '我都去过哪些城市？',
      '小王都做过什么运动？',
    ])
      assert.equal(questionShape(q), 'set', q);
  });

  it('tells inference questions', () => {
    for (const q of [
      'Would Priya enjoy a cooking class?',
      'Is Omar likely to move abroad?',
      'What might Priya do after retiring?',
      '小王会不会喜欢爬山？',
    ])
      assert.equal(questionShape(q), 'inference', q);
  });

  it('leaves single-answer questions plain', () => {
    for (const q of [
      'What is Priya’s job?',
      'When did Omar move?',
      'What does Priya think about it?',
      '小王住在哪里？',
    ])
      assert.equal(questionShape(q), 'plain', q);
  });
});

const hit = (id: string, score: number, session: string, speaker: string | null = null) => ({
  id,
  score,
  memory: { session, speaker },
  signals: {} as Record<string, unknown>,
});

describe('diversifyBySession', () => {
  it('lets a second session in before a third hit of the first', () => {
    const ranked = [hit('a1', 1, 'a'), hit('a2', 0.95, 'a'), hit('a3', 0.9, 'a'), hit('b1', 0.88, 'b')];
    const out = diversifyBySession(ranked, 0.1, 4).map((h) => h.id);
    assert.deepEqual(out, ['a1', 'b1', 'a2', 'a3']);
    assert.deepEqual(
      diversifyBySession(ranked, 0, 4).map((h) => h.id),
      ['a1', 'a2', 'a3', 'b1'],
    );
  });
});

describe('boostSpeakers', () => {
  it('lifts what the named person said', () => {
    const ranked = [hit('x', 1, 's', 'Omar'), hit('y', 0.9, 's', 'Priya')];
    const out = boostSpeakers(ranked, new Set(['priya']), 0.3);
    assert.deepEqual(
      out.map((h) => h.id),
      ['y', 'x'],
    );
    assert.equal(out[0]!.signals.inference, 0.3);
  });

  it('leaves the first `keep` hits in place and lifts the person below them', () => {
    const ranked = [
      hit('best', 1, 's', 'Omar'),
      hit('second', 0.9, 's', 'Omar'),
      hit('hers', 0.8, 't', 'Priya'),
      hit('hers-too', 0.5, 'u', 'Priya'),
    ];
    const out = boostSpeakers(ranked, new Set(['priya']), 0.3, 'setSpeaker', 1);
    assert.deepEqual(
      out.map((h) => h.id),
      ['best', 'hers', 'second', 'hers-too'],
    );
    assert.equal(out[1]!.signals.setSpeaker, 0.3);
    assert.equal(out[0]!.signals.setSpeaker, undefined);
  });

  it('does not touch a named person inside the kept head', () => {
    const ranked = [hit('hers', 1, 's', 'Priya'), hit('his', 0.95, 's', 'Omar')];
    const out = boostSpeakers(ranked, new Set(['priya']), 0.3, 'inference', 1);
    assert.equal(out[0]!.score, 1);
    assert.equal(out[0]!.signals.inference, undefined);
  });
});
