import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractNames } from '../../src/text/names.js';

describe('extractNames', () => {
  const rows: [string, string[]][] = [
    ["Yesterday Caroline's friend Jon met Gina in Paris.", ['Caroline', 'Jon', 'Gina', 'Paris']],
    ['What did Caroline’s sister say?', ['Caroline']],
    ['Caroline: Hey Mel! How was the trip to New York?', ['Caroline', 'Mel', 'New', 'York']],
    ['Painting is fun. I went with Melanie.', ['Melanie']],
    ['Melanie went hiking. Melanie loved it.', ['Melanie']],
    ['Thanks! Went to see Oscar, my guinea pig.', ['Oscar']],
    ['I met McDonald and José in May on Monday.', ['McDonald', 'José']],
    ['OK I SAW IT', []],
    ['Did you see Jon?', ['Jon']],
    ['我和Caroline去了北京', ['Caroline']],
    ['我对青霉素过敏', []],
    ['', []],
  ];
  for (const [text, names] of rows) {
    it(JSON.stringify(text), () => assert.deepEqual(extractNames(text), names));
  }
});
