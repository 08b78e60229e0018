import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, analyzeQuery, tokenizeWords } from '../../src/text/analyzer.js';

describe('analyze: English', () => {
  it('stems with Porter2 and drops stop words', () => {
    assert.deepEqual(analyze('The runners were running happily'), ['runner', 'run', 'happili']);
    assert.deepEqual(analyze('She has a guinea pig named Oscar'), ['guinea', 'pig', 'name', 'oscar']);
  });

  it('writes chat shorthand as the word it stands for, on both sides', () => {
    assert.deepEqual(analyze('Here is a pic of my fam, my fave bday ever'), [
      'pictur',
      'famili',
      'favorit',
      'birthday',
      'ever',
    ]);
    assert.deepEqual(analyzeQuery('a picture of your family'), ['pictur', 'famili']);
    assert.deepEqual(analyze('the kiddos'), analyze('the kids'));
    // Only the clipped word: "information" and "famous" are not touched.
    assert.deepEqual(analyze('information famous'), ['inform', 'famous']);
  });

  it('keeps negations, which change what a memory says', () => {
    assert.deepEqual(analyze('I am not allergic'), ['not', 'allerg']);
    assert.deepEqual(analyze('no never nor'), ['no', 'never', 'nor']);
  });

  it('removes possessives and splits contractions', () => {
    assert.deepEqual(analyze("Caroline's dog"), ['carolin', 'dog']);
    assert.deepEqual(analyze('Caroline’s dog'), ['carolin', 'dog'], 'typographic apostrophe');
    assert.deepEqual(analyze("I didn't go, they can't"), ['not', 'go', 'not']);
    assert.deepEqual(analyze("We're sure you'll love it, I'd say"), ['sure', 'love', 'say']);
  });

  it('normalises numbers', () => {
    assert.deepEqual(analyze('1,000 people'), ['1000', 'peopl']);
    assert.deepEqual(analyze('my 3rd and 21st race'), ['3', '21', 'race']);
    assert.deepEqual(analyze('in the 1990s'), ['1990']);
    assert.deepEqual(analyze('007 agents'), ['7', 'agent']);
    assert.deepEqual(analyze('two cats and twenty dogs'), ['2', 'cat', '20', 'dog']);
    assert.deepEqual(analyze('3:30pm'), ['3', '30', 'pm']);
    assert.deepEqual(analyze('3.5 km'), ['3', '5', 'km']);
    // A month or weekday glued to a number is read as it is beside one (and analysing the output again
    // changes nothing: fast-check found "0nOV" → 0 nov → 0 november).
    assert.deepEqual(analyze('7nov'), analyze('7 Nov'));
    assert.deepEqual(analyze('7nov'), ['7', 'november']);
    assert.deepEqual(analyze('15MAY 2023'), ['15', 'may', '2023']);
    assert.deepEqual(analyze('0nOV'), analyze(analyze('0nOV').join(' ')));
    // Digits never reach the stemmer (wink-porter2-stemmer turns "2023" into "202i").
    assert.deepEqual(analyze('back in 2023 and 1999'), ['back', '2023', '1999']);
  });

  it('maps month and weekday names to one term each', () => {
    assert.deepEqual(analyze('Jan 5'), ['january', '5']);
    assert.deepEqual(analyze('January'), ['january']);
    assert.deepEqual(analyze('Sept.'), ['september']);
    assert.deepEqual(analyze('on Saturday'), ['saturday']);
    assert.deepEqual(analyze('on Saturdays'), ['saturday']);
    assert.deepEqual(analyze('Tue'), ['tuesday']);
  });

  it('treats "may", "march" and "sat" as calendar words only in a date context', () => {
    assert.deepEqual(analyze('I may go'), ['go']);
    assert.deepEqual(analyze('May I ask?'), ['ask']);
    assert.deepEqual(analyze('in may'), ['may']);
    assert.deepEqual(analyze('May 7'), ['may', '7']);
    assert.deepEqual(analyze('We met in May.'), ['met', 'may']);
    assert.deepEqual(analyze('They march on'), ['march']);
    assert.deepEqual(analyze('early March'), ['earli', 'march']);
    assert.deepEqual(analyze('I sat down'), ['sat']);
    assert.deepEqual(analyze('Sat 6 May'), ['saturday', '6', 'may']);
  });

  it('applies NFKC and folds Latin diacritics like the unicode61 tokenizer', () => {
    assert.deepEqual(analyze('Ｆｕｌｌｗｉｄｔｈ １２３'), ['fullwidth', '123']);
    assert.deepEqual(analyze('ﬁne'), ['fine']);
    assert.deepEqual(analyze('café naïve Zürich'), ['cafe', 'naiv', 'zurich']);
    assert.deepEqual(analyze('Straße'), ['strass']);
  });

  it('joins dotted acronyms and splits other punctuation', () => {
    assert.deepEqual(analyze('the U.S.A. e.g.'), ['usa', 'eg']);
    assert.deepEqual(analyze('e-mail me at bob@example.com'), ['e', 'mail', 'bob', 'exampl', 'com']);
  });

  it('returns [] for input without words', () => {
    assert.deepEqual(analyze(''), []);
    assert.deepEqual(analyze('🎉🎉 !!! ... -- "" ()'), []);
    assert.deepEqual(analyze('the and of'), []);
  });

  it('can keep stop words and skip stemming', () => {
    assert.deepEqual(analyze('The dogs were running', { stem: false, stopWords: false }), [
      'the',
      'dogs',
      'were',
      'running',
    ]);
  });

  it('strips combining marks that unicode61 would treat as separators', () => {
    assert.deepEqual(analyze('नमस्ते'), ['नमसत']);
  });
});

describe('analyze: Chinese, Japanese, mixed', () => {
  it('emits segmenter words, Han unigrams and bigrams on the index side', () => {
    const terms = analyze('我对青霉素过敏');
    for (const t of ['青霉素', '过敏', '青', '霉', '素', '青霉', '霉素', '我对', '对青', '素过']) {
      assert.ok(terms.includes(t), `missing ${t} in ${terms.join(' ')}`);
    }
    assert.ok(!terms.includes('我'), 'the pronoun 我 is a stop word');
    assert.ok(!terms.includes('对'), 'the preposition 对 is a stop word');
  });

  it('drops question words and stop-character bigrams on the query side, each term once', () => {
    assert.deepEqual(analyzeQuery('对什么药过敏'), ['药', '过敏', '药过']);
    assert.deepEqual(analyzeQuery('我的猫叫什么名字'), ['猫叫', '名字']);
  });

  it('gives Chinese months and weekdays the English calendar terms', () => {
    assert.ok(analyze('五月').includes('may'));
    assert.ok(analyze('5月7日').includes('may'));
    assert.ok(analyze('十二月').includes('december'));
    assert.ok(analyze('上周六').includes('saturday'));
    assert.ok(analyze('星期天').includes('sunday'));
  });

  it('analyses mixed Chinese and English text', () => {
    const terms = analyze('我喜欢Python编程和machine learning');
    for (const t of ['python', 'machin', 'learn', '喜欢', '编程']) assert.ok(terms.includes(t), t);
  });

  it('drops lone hiragana particles but keeps Japanese words', () => {
    const terms = analyze('東京に行きました');
    assert.ok(terms.includes('東京'));
    assert.ok(!terms.includes('に'));
  });
});

describe('analyzeQuery: English', () => {
  it('also drops question framing words and repeats', () => {
    assert.deepEqual(analyzeQuery('Do you remember what Caroline told me about her dog, her dog?'), [
      'carolin',
      'dog',
    ]);
    assert.deepEqual(analyzeQuery('When did Melanie go camping?'), ['melani', 'go', 'camp']);
  });
});

describe('tokenizeWords', () => {
  it('returns lower-case surface words without stemming or stop-word removal', () => {
    assert.deepEqual(tokenizeWords("Caroline's café didn't open, 1,000 people waited!"), [
      'caroline',
      'café',
      'did',
      'not',
      'open',
      '1000',
      'people',
      'waited',
    ]);
    assert.deepEqual(tokenizeWords('我对青霉素过敏'), ['我', '对', '青霉素', '过敏']);
    assert.deepEqual(tokenizeWords('🎉 !!!'), []);
  });
});
