import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalDialogId,
  emptyEvidenceStats,
  normaliseEvidence,
  splitEvidence,
} from '../../src/bench/evidence.js';

describe('evidence normalisation', () => {
  const table: [string, string | null][] = [
    ['D1:3', 'D1:3'],
    ['D:11:26', 'D11:26'],
    ['D30:05', 'D30:5'],
    ['D03:01', 'D3:1'],
    [' d2:7 ', 'D2:7'],
    ['D', null],
    ['D1', null],
    ['session 3', null],
  ];
  for (const [raw, expected] of table) {
    it(`reads ${JSON.stringify(raw)} as ${expected}`, () => {
      assert.equal(canonicalDialogId(raw), expected);
    });
  }

  it('splits lists joined by spaces, semicolons or commas', () => {
    assert.deepEqual(splitEvidence('D8:6; D9:17'), ['D8:6', 'D9:17']);
    assert.deepEqual(splitEvidence('D3:1 D3:2'), ['D3:1', 'D3:2']);
    assert.deepEqual(splitEvidence('D3:1,D3:2'), ['D3:1', 'D3:2']);
    assert.deepEqual(splitEvidence('D:11:26'), ['D:11:26']);
  });

  it('keeps ids that match a turn, drops and counts the rest', () => {
    const known = new Set(['D1:1', 'D8:6', 'D9:17', 'D11:26', 'D30:5']);
    const stats = emptyEvidenceStats();
    assert.deepEqual(normaliseEvidence(['D8:6; D9:17'], known, stats), ['D8:6', 'D9:17']);
    assert.deepEqual(normaliseEvidence(['D:11:26', 'D30:05'], known, stats), ['D11:26', 'D30:5']);
    assert.deepEqual(normaliseEvidence(['D1:1', 'D', 'D10:19', 'D1:1'], known, stats, 'conv-x'), ['D1:1']);
    assert.deepEqual(stats, {
      total: 8,
      split: 1,
      repaired: 2,
      dropped: 2,
      droppedIds: ['conv-x:D', 'conv-x:D10:19'],
    });
  });
});
