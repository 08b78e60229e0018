import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHowLongQuestion, statesDuration } from '../../src/text/time/duration.js';

describe('statesDuration', () => {
  it('finds a span that lasts until the time it was said (perfect tense or "now")', () => {
    for (const text of [
      "I've had my bike for six years now and it still rides like new.",
      'We have known each other for a couple of months.',
      "She's been teaching piano for just under a year.",
      'Been at the bakery for over 3 years now, time flies!',
      '我养这只猫已经三年了',
      '我学吉他学了两个月了，还是很难',
    ]) {
      assert.equal(statesDuration(text), true, text);
    }
  });

  it('leaves out spans of a finished event, dates, and Chinese month names or years', () => {
    for (const text of [
      'We stayed at the lake for two weeks in July.',
      'I ran for 3 hours on Sunday.',
      'Three years ago I moved to the coast.',
      '已经五月了，天气越来越热',
      '2024年了，我还没去过北京',
      'What a lovely afternoon.',
    ]) {
      assert.equal(statesDuration(text), false, text);
    }
  });
});

describe('isHowLongQuestion', () => {
  it('tells "how long has …" questions from "when" and "how long ago" ones', () => {
    assert.equal(isHowLongQuestion('How long has Rosa played the cello?'), true);
    assert.equal(isHowLongQuestion('For how long have they lived in Porto?'), true);
    assert.equal(isHowLongQuestion('你养这只狗多久了？'), true);
    assert.equal(isHowLongQuestion('When did Rosa start the cello?'), false);
    assert.equal(isHowLongQuestion('How long ago did Rosa move?'), false);
  });
});
