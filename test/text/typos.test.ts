import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  boundedDistance,
  findTypos,
  type SpellingDictionary,
  withCorrections,
} from '../../src/text/typos.js';

/** A dictionary in frequency order, as the GloVe vocabulary is. */
function dictionary(words: string[]): SpellingDictionary {
  const ranks = new Map(words.map((w, i) => [w, i]));
  return {
    size: words.length,
    rank: (w) => ranks.get(w) ?? -1,
    word: (r) => words[r]!,
    firstCode: (r) => words[r]!.charCodeAt(0),
  };
}

const DICT = dictionary([
  'the',
  'win',
  'which',
  'did',
  'tournament',
  'turnament',
  'festival',
  'restaurant',
  'restraint',
  'education',
  'pursue',
  'purse',
  'groceries',
  'tour',
  'ornament',
  'fundraiser',
  "don't",
  'café',
]);

describe('boundedDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    assert.equal(boundedDistance('tournament', 'tournament', 2), 0);
    assert.equal(boundedDistance('torunament', 'tournament', 2), 1);
    assert.equal(boundedDistance('funraiser', 'fundraiser', 2), 1);
    assert.equal(boundedDistance('educaton', 'education', 2), 1);
    assert.equal(boundedDistance('fesetival', 'festival', 2), 1);
    assert.equal(boundedDistance('persue', 'pursue', 2), 1);
    assert.equal(boundedDistance('grocceries', 'groceries', 2), 1);
    assert.equal(boundedDistance('kitten', 'sitting', 3), 3);
  });

  it('stops at the bound', () => {
    assert.equal(boundedDistance('kitten', 'sitting', 1), 2);
    assert.equal(boundedDistance('a', 'abcdef', 2), 3);
  });
});

describe('findTypos', () => {
  it('maps an unknown word to the nearest dictionary word with the same first letter', () => {
    assert.deepEqual(findTypos('Which torunament did I win?', DICT), [
      { word: 'torunament', correction: 'tournament' },
    ]);
    assert.deepEqual(findTypos('my favourite restaurnt', DICT), [
      { word: 'restaurnt', correction: 'restaurant' },
    ]);
  });

  it('prefers the smaller distance, then the more frequent word', () => {
    // "purse" and "pursue" are both one edit from "pursse"; "pursue" comes first in frequency order.
    const d = dictionary(['pursue', 'purse']);
    assert.deepEqual(findTypos('pursse', d), [{ word: 'pursse', correction: 'pursue' }]);
    assert.deepEqual(findTypos('pursse', dictionary(['purse', 'pursue'])), [
      { word: 'pursse', correction: 'purse' },
    ]);
  });

  it('takes a rarer word one edit away over a more frequent one two edits away, whatever their lengths', () => {
    // "festivals" (two edits from "fesstival") is more frequent and longer; "festival" (one edit) wins.
    for (const words of [
      ['festivals', 'festival'],
      ['festival', 'festivals'],
      ['fistival', 'festivals', 'festival'],
    ]) {
      assert.deepEqual(findTypos('fesstival', dictionary(words)), [
        { word: 'fesstival', correction: 'festival' },
      ]);
    }
  });

  it('allows two edits only from eight letters', () => {
    assert.deepEqual(findTypos('turnamnt', DICT), [{ word: 'turnamnt', correction: 'turnament' }]);
    // Five letters, two edits from "purse": left alone.
    assert.deepEqual(findTypos('pxrsx', DICT), []);
  });

  it('leaves known words, short words, capitalised words (names) and other scripts alone', () => {
    assert.deepEqual(findTypos('the tournament festival', DICT), []);
    assert.deepEqual(findTypos('toor', dictionary(['tour'])), []);
    assert.deepEqual(findTypos('Torunament', DICT), []);
    assert.deepEqual(findTypos('我对青霉素过敏', DICT), []);
  });

  it('needs the same first letter', () => {
    assert.deepEqual(findTypos('yournament', DICT), []);
  });

  it('finds nothing when no dictionary word is close enough', () => {
    assert.deepEqual(findTypos('xylophonist', DICT), []);
  });

  it('honours maxRank: only frequent words are candidates', () => {
    assert.deepEqual(findTypos('fundraser', DICT, { maxRank: 5 }), []);
    assert.deepEqual(findTypos('fundraser', DICT), [{ word: 'fundraser', correction: 'fundraiser' }]);
  });

  it('looks up at most maxWords unknown words per query', () => {
    const query = 'torunament fesetival restaurnt';
    assert.equal(findTypos(query, DICT).length, 3);
    assert.deepEqual(
      findTypos(query, DICT, { maxWords: 2 }).map((c) => c.word),
      ['torunament', 'fesetival'],
    );
  });

  it('reports each misspelt word once', () => {
    assert.equal(findTypos('torunament torunament', DICT).length, 1);
  });
});

describe('withCorrections', () => {
  it('writes the correction beside every occurrence and keeps the rest of the query as it was', () => {
    assert.equal(
      withCorrections('Which torunament, and which torunament?', [
        { word: 'torunament', correction: 'tournament' },
      ]),
      'Which torunament tournament, and which torunament tournament?',
    );
    assert.equal(withCorrections('no change', []), 'no change');
  });
});
