import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EngramError } from '../../src/core/errors.js';
import { countTokens, TOKEN_ENCODING, truncateToTokens } from '../../src/text/tokens.js';

describe('countTokens (o200k_base)', () => {
  it('counts known strings', () => {
    assert.equal(TOKEN_ENCODING, 'o200k_base');
    // gpt-tokenizer's README example text; o200k_base encodes it as Hello | , | ␠world | ! (13225, 11, 2375, 0).
    assert.equal(countTokens('Hello, world!'), 4);
    assert.equal(countTokens(''), 0);
    assert.equal(countTokens('hello'), 1);
    assert.equal(countTokens('The quick brown fox jumps over the lazy dog.'), 10);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    assert.equal(countTokens('a <|endoftext|> b'), 9);
  });

  it('counts Chinese text', () => {
    assert.ok(countTokens('我对青霉素过敏') >= 4);
  });
});

describe('truncateToTokens', () => {
  const TEXT = 'The quick brown fox jumps over the lazy dog. 我对青霉素过敏 🎉🎉🎉';

  it('keeps text that already fits and cuts at a token boundary otherwise', () => {
    assert.equal(truncateToTokens('Hello, world!', 4), 'Hello, world!');
    assert.equal(truncateToTokens('Hello, world!', 2), 'Hello,');
    assert.equal(truncateToTokens('Hello, world!', 0), '');
    assert.equal(truncateToTokens(TEXT, 3), 'The quick brown');
  });

  it('never leaves half a character and never exceeds the budget', () => {
    const total = countTokens(TEXT);
    for (let max = 0; max <= total + 1; max++) {
      const cut = truncateToTokens(TEXT, max);
      assert.ok(TEXT.startsWith(cut), `prefix at ${max}`);
      assert.ok(countTokens(cut) <= max, `budget at ${max}`);
      assert.doesNotMatch(cut, /\uFFFD/);
      assert.doesNotMatch(cut, /[\uD800-\uDBFF]$/);
    }
    assert.equal(truncateToTokens(TEXT, total), TEXT);
  });

  it('returns a prefix within budget for arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (text, max) => {
          const cut = truncateToTokens(text, max);
          assert.ok(text.startsWith(cut));
          assert.ok(countTokens(cut) <= max);
          if (countTokens(text) <= max) assert.equal(cut, text);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects a budget that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      assert.throws(
        () => truncateToTokens('text', bad),
        (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT' && /maxTokens/.test(e.message),
      );
    }
  });
});
