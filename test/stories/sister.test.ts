import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts, USER } from './story.js';

/**
 * A sister mentioned without a name, named in a later session, and her new job in a third: one entity, and
 * "my sister" finds all three.
 */
describe('story: the sister who got a name', () => {
  let story: Story;
  const said = {
    unnamed: 'My sister is coming to stay with me for a few weeks next month.',
    named: 'My sister Ana arrived yesterday, she brought far too much luggage.',
    job: 'Ana just started a new job as a nurse at the children’s hospital.',
  };
  before(async () => {
    story = await openStory({ embedder: 'glove' });
    await story.session('s1', '2024-01-10T18:00:00Z', [
      ['Alice', said.unnamed],
      ['Assistant', 'How lovely! Do you get along well?'],
      ['Alice', 'Mostly. My brother is jealous, he wanted the guest room for his drum kit.'],
      ['Alice', 'I also need to fix the kitchen tap before anyone arrives.'],
    ]);
    await story.session('s2', '2024-02-12T18:00:00Z', [
      ['Alice', said.named],
      ['Assistant', 'Ha, classic. What are you two planning?'],
      ['Alice', 'Museums mostly, and a day trip to the coast if the weather holds.'],
      ['Alice', 'My friend Tom lent us his car for the trip.'],
    ]);
    await story.session('s3', '2024-03-20T18:00:00Z', [
      ['Alice', said.job],
      ['Assistant', 'That is great news. Is it close to your place?'],
      ['Alice', 'Twenty minutes by bus. I finished the tap at last, by the way.'],
      ['Alice', 'Tom wants his car back before the weekend.'],
    ]);
  });
  after(async () => {
    await story.close();
  });

  it('profile of Ana holds all three sessions, the relation as an alias', async () => {
    const profile = await story.db.profile({ user: USER, entity: 'Ana' });
    assert.equal(profile.entity.name, 'Ana');
    assert.equal(profile.entity.type, 'person');
    assert.ok(profile.entity.aliases.includes('kin:alice:sister'), profile.entity.aliases.join(', '));
    const timeline = profile.timeline.map((m) => m.text);
    for (const text of Object.values(said))
      assert.ok(timeline.includes(text), `${text} in ${timeline.join(' | ')}`);
    assert.deepEqual(
      profile.timeline.map((m) => m.session),
      ['s1', 's2', 's3'],
    );
    // The same entity, asked for by the relation.
    const bySister = await story.db.profile({ user: USER, entity: 'my sister' });
    assert.equal(bySister.entity.key, profile.entity.key);
    const entities = await story.db.entities({ user: USER });
    const names = entities.map((e) => e.name);
    assert.ok(names.includes('Ana') && names.includes('Tom') && names.includes('Alice'), names.join(', '));
    assert.ok(!names.includes("Alice's sister"), 'the relation is not a second entity');
  });

  it('"what do you know about my sister?" brings the three first', async () => {
    const hits = await story.search('what do you know about my sister?', { now: '2024-04-01T00:00:00Z' });
    const top = hits
      .filter((h) => h.kind === 'turn')
      .slice(0, 3)
      .map((h) => h.text);
    assert.deepEqual(new Set(top), new Set(Object.values(said)), texts(hits));
  });

  it("the context names her: who's who says Ana is Alice's sister, and her three turns are in it", async () => {
    const built = await story.context('what do you know about my sister?', {
      now: '2024-04-01T00:00:00Z',
      tokenBudget: 600,
    });
    assert.deepEqual(built.whoIsWho, ["Ana: Alice's sister"]);
    assert.match(built.text, /Who's who:\n- "Ana: Alice's sister"/);
    const turns = built.turns.map((t) => t.text);
    for (const text of Object.values(said))
      assert.ok(turns.includes(text), `${text} in ${turns.join(' | ')}`);
  });
});
