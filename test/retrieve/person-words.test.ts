import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engram } from '../../src/memory/types.js';
import { tempDir } from '../helpers/cli.js';
import { onOffEngines, type Turn } from '../helpers/on-off-engines.js';

const USER = 'friends';
const NOW = '2024-06-30T12:00:00Z';

/**
 * Two friends talk over three evenings. Asked whether Priya would like something, or what she does, the
 * engine should put her own words after the best literal match, whoever said that.
 */
const TURNS: Turn[] = [
  ['s1', 'Omar', 'I signed up for a pottery class downtown, the first lesson is on Friday.'],
  ['s1', 'Priya', 'I would rather be outside; I spend most free weekends on long walks in the hills.'],
  ['s1', 'Omar', 'The pottery teacher says my bowls look like hats.'],
  ['s2', 'Omar', 'The class was fun, we glazed the hats at last.'],
  ['s2', 'Priya', 'I bought new boots for the mountain trail next month.'],
  ['s2', 'Omar', 'My cousin wants to try pottery too, she loves anything with clay.'],
  ['s3', 'Priya', 'I slept in a tent by the lake and watched the stars all night.'],
  ['s3', 'Omar', 'I watched a film about a potter who moves to the mountains.'],
  ['s3', 'Omar', 'Next weekend I will paint the kitchen.'],
];

describe('the person asked about: her own words after the best match', () => {
  const dir = tempDir('engram-person-');
  let on: Engram;
  let off: Engram;
  let close = async () => {};
  before(async () => {
    ({ on, off, close } = await onOffEngines(
      dir,
      USER,
      TURNS,
      {
        shapes: {
          setSessionPenalty: 0,
          inferenceSpeakerBonus: 0,
          inferenceSpeakerKeep: 0,
          setSessionWeight: null,
          setSpeakerBonus: 0,
          setSpeakerKeep: 0,
          inferenceTopicOnly: false,
        },
      },
      (session, i) =>
        new Date(Date.parse(`2024-0${3 + Number(session[1])}-01T18:00:00Z`) + i * 60_000).toISOString(),
    ));
  });
  after(() => close());

  const ask = (db: Engram, query: string) =>
    db.search(query, { user: USER, k: 6, now: NOW, reinforce: false, explain: true });

  it('an inference question keeps its first hit and lifts what she said below it', async () => {
    const query = 'Would Priya enjoy a weekend of hiking in the mountains?';
    const [withBonus, without] = [await ask(on, query), await ask(off, query)];
    assert.equal(withBonus[0]!.text, without[0]!.text, 'the first hit keeps its place');
    assert.equal(withBonus[0]!.explain?.inference, undefined);
    const hers = (hits: typeof withBonus) =>
      hits.slice(1, 4).filter((h) => /weekends|boots|tent/.test(h.text)).length;
    assert.ok(hers(withBonus) >= hers(without), 'at least as many of her turns right below the first');
    assert.ok(
      withBonus.slice(1).some((h) => h.explain?.inference === 0.3),
      withBonus.map((h) => h.text).join(' | '),
    );
  });

  it('a set question lifts her words only below the five best', async () => {
    const hits = await ask(on, 'What outdoor activities does Priya do?');
    assert.ok(hits.slice(0, 5).every((h) => h.explain?.setSpeaker === undefined));
  });
});
