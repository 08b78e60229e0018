import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recognizeEntities } from '../../src/entities/recognize.js';

const keys = (text: string, speaker = 'Maya') =>
  recognizeEntities(text, { speaker }).map((m) => `${m.key}|${m.role}${m.alias ? `|${m.alias}` : ''}`);

describe('recognizeEntities', () => {
  it('resolves I and my to the speaker, and keeps an unnamed relative per speaker', () => {
    assert.deepEqual(keys('My sister is coming to visit next week.'), [
      'person:maya|subject',
      'kin:maya:sister|mentioned',
    ]);
    assert.deepEqual(keys('The weather was lovely.'), ['person:maya|speaker']);
  });

  it('links a relative to the name given with it', () => {
    assert.deepEqual(keys('My sister Ana finally moved to Lisbon!'), [
      'person:maya|subject',
      'person:ana|mentioned|kin:maya:sister',
      'place:lisbon|mentioned',
    ]);
    assert.ok(keys('Ana is my sister.').includes('person:ana|mentioned|kin:maya:sister'));
    assert.ok(keys('I walked my dog Biscuit.', 'Tom').includes('pet:biscuit|mentioned|kin:tom:dog'));
  });

  it('tells places, organisations, works and activities', () => {
    const found = keys(
      'I love painting, went camping near Lake Tahoe, read "The Quiet River" and joined Clayworks Studio.',
      'Tom',
    );
    for (const k of [
      'activity:painting|mentioned',
      'activity:camping|mentioned',
      'place:lake-tahoe|mentioned',
      'work:the-quiet-river|mentioned',
      'organization:clayworks-studio|mentioned',
    ])
      assert.ok(found.includes(k), `${k} in ${found.join(', ')}`);
  });

  it('reads Chinese: relatives with names, places, titles, activities', () => {
    const found = keys('我的姐姐叫李娜，她最近去了厦门旅游，还喜欢跑步，读了《长夜》。', '张伟');
    for (const k of [
      'person:张伟|subject',
      'person:李娜|mentioned|kin:张伟:姐姐',
      'place:厦门|mentioned',
      'activity:跑步|mentioned',
      'work:长夜|mentioned',
    ])
      assert.ok(found.includes(k), `${k} in ${found.join(', ')}`);
  });
});
