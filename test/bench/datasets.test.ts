import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadLocomo } from '../../src/bench/locomo-dataset.js';
import { loadLongMemEval, parseLongMemEvalDate } from '../../src/bench/longmemeval-dataset.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const locomoDir = join(fixtures, 'locomo');
const tmp = mkdtempSync(join(tmpdir(), 'engram-bench-data-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('LoCoMo dataset', () => {
  it('turns a folder of conversation files into one corpus per conversation', () => {
    const data = loadLocomo(locomoDir);
    assert.equal(data.dataset, 'locomo');
    assert.equal(data.corpora.length, 1);
    const [corpus] = data.corpora;
    assert.equal(corpus!.id, 'conv-fx');
    assert.equal(corpus!.user, 'conv-fx');
    assert.equal(corpus!.docs.length, 14);
    assert.deepEqual(
      corpus!.docs.slice(0, 2).map((d) => [d.id, d.session, d.speaker, d.at]),
      [
        ['D1:1', 'session_1', 'Ada', '2023-03-03T10:00:00.000Z'],
        ['D1:2', 'session_1', 'Bruno', '2023-03-03T10:00:30.000Z'],
      ],
    );
    const captioned = corpus!.docs.find((d) => d.id === 'D1:4')!;
    assert.match(captioned.text, /flying in from Toronto.*woman waving at an airport gate/);
    assert.deepEqual(captioned.metadata, {
      dialogId: 'D1:4',
      imageCaption: 'a photo of a woman waving at an airport gate',
    });
  });

  it('normalises evidence, drops ids that match no turn and skips questions left without evidence', () => {
    const data = loadLocomo(locomoDir);
    const questions = data.corpora[0]!.questions;
    assert.equal(questions.length, 7);
    assert.deepEqual(
      questions.map((q) => [q.category, q.evidenceTurns, q.evidenceSessions]),
      [
        ['4', ['D1:1'], ['session_1']],
        ['2', ['D2:1'], ['session_2']],
        ['1', ['D2:2', 'D2:4'], ['session_2']],
        ['4', ['D1:4'], ['session_1']],
        ['4', ['D3:1'], ['session_3']],
        ['3', ['D3:2', 'D3:3'], ['session_3']],
        ['5', ['D3:4'], ['session_3']],
      ],
    );
    assert.ok(questions.every((q) => q.now === '2023-06-01T09:15:00.000Z'));
    assert.deepEqual(data.stats, {
      questionsTotal: 8,
      questionsWithoutEvidence: 1,
      evidence: { total: 11, split: 2, repaired: 2, dropped: 2, droppedIds: ['conv-fx:D9:9', 'conv-fx:D'] },
    });
  });

  it('reads the combined locomo10.json list format the same way', () => {
    const conv = JSON.parse(readFileSync(join(locomoDir, 'conv-fx.json'), 'utf8'));
    const { qa, ...conversation } = conv;
    const file = join(tmp, 'locomo10.json');
    writeFileSync(
      file,
      JSON.stringify([
        { sample_id: 'a', conversation, qa },
        { sample_id: 'b', conversation, qa },
      ]),
    );
    const data = loadLocomo(file);
    assert.deepEqual(
      data.corpora.map((c) => [c.id, c.docs.length, c.questions.length]),
      [
        ['a', 14, 7],
        ['b', 14, 7],
      ],
    );
    assert.equal(data.stats.questionsTotal, 16);
    assert.equal(data.stats.evidence.dropped, 4);
  });

  it('reports a missing path and malformed JSON with an actionable error', () => {
    assert.throws(() => loadLocomo(join(tmp, 'nope')), {
      code: 'NOT_FOUND',
      message: /LoCoMo data not found/,
    });
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{ not json');
    assert.throws(() => loadLocomo(bad), { code: 'INVALID_JSON', message: /bad\.json is not valid JSON/ });
  });
});

describe('LongMemEval dataset', () => {
  it('parses its date format', () => {
    assert.equal(parseLongMemEvalDate('2023/05/20 (Sat) 02:21'), '2023-05-20T02:21:00.000Z');
    assert.equal(parseLongMemEvalDate('2023/05/20'), '2023-05-20T00:00:00.000Z');
    assert.throws(() => parseLongMemEvalDate('last tuesday'), { code: 'INVALID_DATE' });
  });

  it('makes one corpus per question with turn and session evidence, skipping abstention', () => {
    const data = loadLongMemEval(join(fixtures, 'longmemeval-fx.json'));
    assert.equal(data.dataset, 'longmemeval');
    assert.deepEqual(
      data.corpora.map((c) => [c.id, c.docs.length, c.questions[0]!.category]),
      [
        ['fx-001', 6, 'single-session-user'],
        ['fx-002', 6, 'multi-session'],
      ],
    );
    const [first, second] = data.corpora;
    assert.deepEqual(first!.questions[0]!.evidenceTurns, ['answer_s-b_1']);
    assert.deepEqual(first!.questions[0]!.evidenceSessions, ['answer_s-b']);
    assert.equal(first!.questions[0]!.now, '2023-06-10T18:00:00.000Z');
    assert.deepEqual(second!.questions[0]!.evidenceTurns, ['answer_m-1_1', 'answer_m-3_1']);
    assert.deepEqual(first!.docs[1], {
      id: 's-a_2',
      session: 's-a',
      speaker: 'assistant',
      role: 'assistant',
      text: 'Sure: simmer red lentils with onion, carrot, cumin and stock for 25 minutes.',
      at: '2023-05-01T09:12:30.000Z',
      metadata: { dialogId: 's-a_2' },
    });
    assert.equal(data.stats.questionsTotal, 3);
    assert.equal(data.stats.questionsWithoutEvidence, 1);
  });

  it('honours a question limit and rejects data that is not a list', () => {
    assert.equal(loadLongMemEval(join(fixtures, 'longmemeval-fx.json'), 1).corpora.length, 1);
    const file = join(tmp, 'obj.json');
    writeFileSync(file, '{"question": "x"}');
    assert.throws(() => loadLongMemEval(file), { code: 'INVALID_INPUT', message: /must be a JSON list/ });
  });
});
