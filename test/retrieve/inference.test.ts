import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engram } from '../../src/memory/types.js';
import { inferenceTopic } from '../../src/retrieve/inference.js';
import { DEFAULT_SHAPES } from '../../src/retrieve/question-shape.js';
import { tempDir } from '../helpers/cli.js';
import { onOffEngines, type Turn } from '../helpers/on-off-engines.js';

describe('inferenceTopic: an inference question without its words of taste', () => {
  it('takes out enjoy / interested / prefer, whatever their case, and keeps the topic and the name', () => {
    assert.equal(inferenceTopic('Would Priya enjoy a jazz concert?'), 'Would Priya a jazz concert?');
    assert.equal(
      inferenceTopic('Would Omar be more Interested in sailing or in climbing?'),
      'Would Omar be more in sailing or in climbing?',
    );
    assert.equal(inferenceTopic('Would Lena prefer tea?'), 'Would Lena tea?');
    assert.equal(
      inferenceTopic('Is Lena likely to keep enjoying the choir?'),
      'Is Lena likely to keep the choir?',
    );
  });

  it('leaves words with other senses and words that only contain a taste word', () => {
    assert.equal(
      inferenceTopic('Would Omar be open to moving abroad?'),
      'Would Omar be open to moving abroad?',
    );
    assert.equal(
      inferenceTopic('Would Lena like the enjoyment of preferences?'),
      'Would Lena like the enjoyment of preferences?',
    );
  });

  it('returns the question itself when nothing else is left', () => {
    assert.equal(inferenceTopic('enjoy?'), 'enjoy?');
    assert.equal(inferenceTopic('  Enjoy  '), '  Enjoy  ');
  });
});

const USER = 'neighbours';
const NOW = '2024-06-30T12:00:00Z';

/** Priya likes two things; only one of them is what the question is about. */
const TURNS: Turn[] = [
  ['s1', 'Priya', 'I enjoy quiet evenings at home with my cat.'],
  ['s1', 'Omar', 'The jazz bar on the corner closed last week.'],
  ['s2', 'Omar', 'My brother sold his old jazz records at the market.'],
  ['s2', 'Priya', 'I play jazz piano for an hour every night before bed.'],
  ['s3', 'Omar', 'A jazz band played at the wedding on Saturday.'],
  ['s3', 'Omar', 'We painted the fence green over the weekend.'],
];

describe('inference questions search for their topic, not their verb of taste', () => {
  const dir = tempDir('engram-inference-');
  let on: Engram;
  let off: Engram;
  let close = async () => {};
  before(async () => {
    ({ on, off, close } = await onOffEngines(
      dir,
      USER,
      TURNS,
      { shapes: { ...DEFAULT_SHAPES, inferenceTopicOnly: false } },
      (_, i) => new Date(Date.parse('2024-06-01T18:00:00Z') + i * 3_600_000).toISOString(),
    ));
  });
  after(() => close());

  const rank = async (engram: Engram, needle: string) => {
    const hits = await engram.search('Would Priya enjoy a jazz concert?', { user: USER, k: 6, now: NOW });
    return hits.findIndex((h) => h.text.includes(needle));
  };

  it('puts her jazz piano above her evenings at home', async () => {
    const piano = await rank(on, 'jazz piano');
    const evenings = await rank(on, 'quiet evenings');
    assert.ok(piano >= 0 && (evenings < 0 || piano < evenings), `piano ${piano}, evenings ${evenings}`);
  });

  it('without it, "enjoy" lifts the evenings at home over the piano', async () => {
    const piano = await rank(off, 'jazz piano');
    const evenings = await rank(off, 'quiet evenings');
    assert.ok(evenings >= 0 && evenings < piano, `piano ${piano}, evenings ${evenings}`);
  });
});
