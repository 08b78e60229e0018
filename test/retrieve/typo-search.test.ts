import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Engram, open } from '../../src/index.js';

/** Query typos through the real engine: default GloVe embedder, its vocabulary as the dictionary. */
const NOTES = [
  'I won the regional chess tournament last spring',
  'My daughter started piano lessons on Tuesdays',
  'We are organising a fundraiser for the animal shelter in May',
  'I am allergic to penicillin',
];

describe('typo correction in search', () => {
  let engram: Engram;
  let plain: Engram;

  before(async () => {
    engram = await open({ path: ':memory:' });
    plain = await open({ path: ':memory:', retrieval: { typoCorrection: false } });
    for (const e of [engram, plain]) {
      await e.addMany(NOTES.map((text) => ({ user: 'u', kind: 'note' as const, text })));
    }
  });

  after(async () => {
    await engram.close();
    await plain.close();
  });

  it('a misspelt word alone finds nothing without correction', async () => {
    assert.deepEqual(await plain.search('torunament', { user: 'u', reinforce: false }), []);
  });

  it('with correction it finds the memory, and the breakdown says what was corrected', async () => {
    const hits = await engram.search('torunament', { user: 'u', reinforce: false, explain: true });
    assert.equal(hits[0]?.text, NOTES[0]);
    assert.equal(hits[0]?.explain?.spelling, 'torunament → tournament');
  });

  it('corrects inside a question and keeps the other words', async () => {
    const hits = await engram.search('when is the shelter funraiser?', { user: 'u', reinforce: false });
    assert.equal(hits[0]?.text, NOTES[2]);
  });

  it('leaves a correctly spelt query as it is', async () => {
    const hits = await engram.search('what am I allergic to', { user: 'u', reinforce: false, explain: true });
    assert.equal(hits[0]?.text, NOTES[3]);
    assert.equal(hits[0]?.explain?.spelling, undefined);
  });
});
