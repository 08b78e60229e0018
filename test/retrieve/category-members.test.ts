import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CATEGORY_EXPANSION } from '../../src/retrieve/category-expansion.js';
import { boostMembers, questionMembers, wordnetMembers } from '../../src/retrieve/category-members.js';
import type { ScoredMemory } from '../../src/retrieve/signals.js';
import { analyze } from '../../src/text/analyzer.js';
import { defaultNounNet } from '../../src/text/wordnet.js';
import { fakeWords } from './fake-words.js';

const CONFIG = DEFAULT_CATEGORY_EXPANSION.wordnet;

describe('wordnetMembers', () => {
  const net = defaultNounNet()!;

  it('gives the kinds of a category, multiword ones included', async () => {
    const members = await wordnetMembers(net, ['martial', 'arts'], null, CONFIG);
    for (const m of ['judo', 'karate', 'kung fu', 'taekwondo'])
      assert.ok(members.includes(m), members.join(', '));
    assert.ok(!members.includes('martial art'), 'the category itself is not its member');
  });

  it('bounds the closure by depth and count, shallowest first', async () => {
    const one = await wordnetMembers(net, ['sports'], null, { ...CONFIG, depth: 1, members: 500 });
    const two = await wordnetMembers(net, ['sports'], null, { ...CONFIG, depth: 2, members: 500 });
    assert.ok(one.includes('skiing') && !one.includes('soccer'), one.join(', '));
    assert.ok(!two.includes('soccer') && two.includes('swimming'), two.join(', '));
    assert.deepEqual(two.slice(0, one.length).sort(), [...one].sort(), 'depth 1 before depth 2');
    assert.equal((await wordnetMembers(net, ['sports'], null, { ...CONFIG, members: 5 })).length, 5);
  });

  it('keeps only members whose words the vectors know and that say something', async () => {
    const words = fakeWords({
      karate: { vector: [1, 0] },
      judo: { vector: [0.9, 0.1] },
      kung: { vector: [0, 1], weight: 0.1 },
      fu: { vector: [0, 1] },
    });
    const members = await wordnetMembers(net, ['martial', 'arts'], words, { ...CONFIG, vocabulary: 0 });
    assert.deepEqual(members.sort(), ['judo', 'karate', 'kung fu']);
    const common = await wordnetMembers(net, ['martial', 'arts'], words, { ...CONFIG, vocabulary: 1 });
    assert.deepEqual(common, ['karate'], 'only the most frequent word');
  });

  it('finds nothing for a word WordNet does not know as a noun', async () => {
    assert.deepEqual(await wordnetMembers(net, ['zxqv'], null, CONFIG), []);
  });
});

describe('questionMembers', () => {
  const words = fakeWords({ judo: { vector: [1, 0] }, karate: { vector: [0.9, 0.1] } });

  it('expands set questions only, and only when a bonus or list uses the members', async () => {
    const q = 'Which martial arts has Lena tried?';
    assert.deepEqual((await questionMembers(q, true, words, DEFAULT_CATEGORY_EXPANSION)).sort(), [
      'judo',
      'karate',
    ]);
    assert.deepEqual(await questionMembers(q, false, words, DEFAULT_CATEGORY_EXPANSION), []);
    const off = { ...DEFAULT_CATEGORY_EXPANSION, memberBonus: 0, weight: 0 };
    assert.deepEqual(await questionMembers(q, true, words, off), []);
  });

  it('needs the word vectors, which bound how common a member is', async () => {
    assert.deepEqual(
      await questionMembers('Which martial arts has Lena tried?', true, null, DEFAULT_CATEGORY_EXPANSION),
      [],
    );
  });
});

function scored(texts: string[]): ScoredMemory[] {
  return texts.map((text, i) => ({
    memory: { id: `m${i}`, text } as ScoredMemory['memory'],
    score: 1 - i * 0.15,
    signals: {},
  }));
}

describe('boostMembers', () => {
  const members = ['judo', 'kung fu', 'karate'];
  const texts = [
    'Lena said the new gym opens at six.',
    'We talked about the weather all evening.',
    'Lena finally got her yellow belt in judo last week!',
    'Her brother watched an old kung fu film.',
    'A fun word: kung.',
  ];

  it('lifts the memories that name a member, every word of it', () => {
    const out = boostMembers(scored(texts), members, (t) => analyze(t), 0.4);
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['m2', 'm0', 'm3', 'm1', 'm4'],
    );
    assert.equal(out[0]!.signals.member, 'judo');
    assert.equal(out[2]!.signals.member, 'kung fu');
    assert.equal(out.find((s) => s.memory.id === 'm4')!.signals.member, undefined, 'half a member is none');
  });

  it('leaves the first `keep` in place', () => {
    const out = boostMembers(scored(texts), members, (t) => analyze(t), 0.4, 3);
    assert.deepEqual(
      out.map((s) => s.memory.id),
      ['m0', 'm1', 'm2', 'm3', 'm4'],
    );
    const below = boostMembers(scored(texts), members, (t) => analyze(t), 0.4, 1);
    assert.deepEqual(
      below.map((s) => s.memory.id),
      ['m0', 'm2', 'm3', 'm1', 'm4'],
    );
  });

  it('does nothing at bonus 0 or without members', () => {
    assert.deepEqual(
      boostMembers(scored(texts), members, (t) => analyze(t), 0).map((s) => s.memory.id),
      ['m0', 'm1', 'm2', 'm3', 'm4'],
    );
    assert.deepEqual(
      boostMembers(scored(texts), [], (t) => analyze(t), 0.2).map((s) => s.memory.id),
      ['m0', 'm1', 'm2', 'm3', 'm4'],
    );
  });
});
