import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { standsAlone } from '../../src/memory/lifecycle/self-contained.js';

describe('standsAlone', () => {
  it('keeps statements that say what they are about', () => {
    for (const text of [
      'Tom works as a carpenter.',
      'Ana lives in Porto (moved there in March 2024).',
      'Tom went to a jazz festival on 3 May 2024 and it was loud.',
      'Ana and others are planning a bake sale in June 2024.',
      'Priti keeps her kayak in a shed by the river.',
      'Jonas sold his bike to a neighbour.',
      '李娜在厦门工作。',
    ])
      assert.equal(standsAlone(text), true, text);
  });

  it('drops pointers without their antecedent, talk to the listener and garbled self-reference', () => {
    for (const text of [
      'Tom loves their design.',
      'Ana is heading there in April 2024.',
      'Tom fixed it last weekend.',
      'She keeps her kayak in a shed by the river.',
      'Ana wanted to tell you about the trip.',
      'Ana is gonna keep pushing Ana and striving for her goals.',
      'Tom did in the week of 3 June 2024.',
      '李娜很喜欢那里。',
      'Ok.',
    ])
      assert.equal(standsAlone(text), false, text);
  });
});
