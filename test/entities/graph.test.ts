import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEntityGraph, findEntity } from '../../src/entities/graph.js';
import { recognizeEntities } from '../../src/entities/recognize.js';

const said = (id: string, at: string, text: string, speaker = 'Noor') => ({
  memoryId: id,
  occurredAt: at,
  session: id,
  mentions: recognizeEntities(text, { speaker }),
});

describe('buildEntityGraph', () => {
  const graph = buildEntityGraph([
    said('m3', '2024-03-01', 'Ravi starts at the bakery on Monday.'),
    said('m1', '2024-01-01', 'My brother wants to learn baking.'),
    said('m2', '2024-02-01', 'My brother Ravi moved to Leeds.'),
    said('m4', '2024-04-01', 'We adopted a kitten, her name is Mochi.'),
    said('m5', '2024-04-02', 'Mochi sleeps all day.'),
  ]);

  it('makes a relation and the name it was given one entity, mentions in time order', () => {
    const ravi = findEntity(graph, 'Ravi')!;
    assert.equal(ravi.key, 'person:ravi');
    assert.deepEqual(
      ravi.mentions.map((m) => m.memoryId),
      ['m1', 'm2', 'm3'],
    );
    assert.ok(ravi.aliases.includes('kin:noor:brother'));
    assert.equal(findEntity(graph, 'my brother')?.key, 'person:ravi');
    assert.equal(findEntity(graph, "Noor's brother")?.key, 'person:ravi');
    assert.equal(findEntity(graph, 'my sister'), null);
  });

  it('reads a name as one entity across memories, a pet when one memory says so', () => {
    const mochi = findEntity(graph, 'mochi')!;
    assert.equal(mochi.type, 'pet');
    assert.equal(mochi.mentions.length, 2);
  });

  it('relates entities mentioned together', () => {
    const ravi = findEntity(graph, 'Ravi')!;
    const related = ravi.related.map((r) => r.name);
    assert.ok(related.includes('Noor') && related.includes('Leeds'), related.join(', '));
  });
});
