import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectLanguage, extractFromTurn, splitSentences } from '../../src/memory/lifecycle/extract/rules.js';

const SAID = new Date('2023-05-25T14:00:00Z');

/** subject | attribute | value | text, one string per fact, for compact expectations. */
function facts(text: string, speaker: string | null = 'Alice', role: string | null = 'user'): string[] {
  return extractFromTurn({ text, speaker, role, at: SAID }, 0).map(
    (f) => `${f.subject}|${f.attribute}|${f.value}|${f.text}`,
  );
}

describe('rule extraction: English', () => {
  const cases: Array<[string, string[]]> = [
    ['I live in Paris.', ['Alice|lives_in|Paris|Alice lives in Paris.']],
    [
      'Guess what, I just moved to Berlin!',
      ['Alice|lives_in|Berlin|Alice lives in Berlin (moved there recently).'],
    ],
    [
      'I moved to New York last month and I love it.',
      ['Alice|lives_in|New York|Alice lives in New York (moved there in April 2023).'],
    ],
    ["I'm from Lyon, France.", ['Alice|hometown|Lyon, France|Alice is from Lyon, France.']],
    ['I work at Google.', ['Alice|works_at|Google|Alice works at Google.']],
    [
      'I work at Initech as a developer.',
      ['Alice|works_at|Initech|Alice works at Initech.', 'Alice|job|developer|Alice works as a developer.'],
    ],
    [
      'I just started a new job at Globex as a product manager.',
      [
        'Alice|works_at|Globex|Alice works at Globex (started recently).',
        'Alice|job|product manager|Alice works as a product manager.',
      ],
    ],
    [
      "I'm flying to Rome next Friday.",
      ['Alice|plan|flying to Rome on 26 May 2023|Alice is flying to Rome on 26 May 2023.'],
    ],
    ["Honestly I can't stand sushi anymore.", ['Alice|opinion:sushi|dislikes|Alice no longer likes sushi.']],
    [
      "I'm a nurse at St. Mary's Hospital.",
      [
        'Alice|job|nurse|Alice works as a nurse.',
        "Alice|works_at|St. Mary's Hospital|Alice works at St. Mary's Hospital.",
      ],
    ],
    [
      'I just started a new job at Acme Corp last week.',
      ['Alice|works_at|Acme Corp|Alice works at Acme Corp (started in the week of 15 May 2023).'],
    ],
    ['I work as a software engineer.', ['Alice|job|software engineer|Alice works as a software engineer.']],
    [
      'My daughter Emma turns 7 in May.',
      [
        'Alice|has_daughter|Emma|Alice has a daughter named Emma.',
        'Emma|turns_age|7 in May 2023|Emma turns 7 in May 2023.',
      ],
    ],
    [
      'My sister Anna lives in Rome.',
      ['Alice|has_sister|Anna|Alice has a sister named Anna.', 'Anna|lives_in|Rome|Anna lives in Rome.'],
    ],
    ["I'm allergic to penicillin.", ['Alice|allergy|penicillin|Alice is allergic to penicillin.']],
    [
      'I was diagnosed with diabetes last year.',
      ['Alice|condition|diabetes|Alice has diabetes (diagnosed in 2022).'],
    ],
    ["I'm vegetarian.", ['Alice|diet|vegetarian|Alice is vegetarian.']],
    ['I have a dog named Max.', ['Alice|has_pet|dog Max|Alice has a dog named Max.']],
    [
      'I adopted a puppy named Rex last Saturday.',
      ['Alice|has_pet|puppy Rex|Alice has a puppy named Rex (since 20 May 2023).'],
    ],
    ['I bought a new car yesterday.', ['Alice|owns|car|Alice owns a car.']],
    ['I love sushi!', ['Alice|opinion:sushi|likes|Alice loves sushi.']],
    ['I hate olives.', ["Alice|opinion:olives|dislikes|Alice doesn't like olives."]],
    ["I can't stand sushi anymore.", ['Alice|opinion:sushi|dislikes|Alice no longer likes sushi.']],
    ["I don't like hiking anymore.", ['Alice|opinion:hiking|dislikes|Alice no longer likes hiking.']],
    ['My favourite color is blue.', ["Alice|favourite_color|blue|Alice's favourite color is blue."]],
    ['Pizza is my favorite food.', ["Alice|favourite_food|Pizza|Alice's favourite food is Pizza."]],
    ['My yoga class is on Mondays.', ["Alice|schedule:yoga class|Monday|Alice's yoga class is on Monday."]],
    ["I'm married.", ['Alice|relationship_status|married|Alice is married.']],
    [
      "I'm dating Sarah now.",
      [
        'Alice|relationship_status|in a relationship|Alice is in a relationship with Sarah.',
        "Alice|partner|Sarah|Alice's partner is Sarah.",
      ],
    ],
    [
      'I broke up with Tom last week.',
      [
        'Alice|relationship_status|single|Alice is single (broke up with Tom in the week of 15 May 2023).',
        'Alice|partner|none|Alice has no partner since breaking up with Tom.',
      ],
    ],
    ['My name is Alice.', ["Alice|name|Alice|Alice's name is Alice."]],
    ["I'm 34 years old.", ['Alice|age|34|Alice is 34 years old.']],
    [
      'I went to a concert last Saturday.',
      ['Alice|event|Alice went to a concert on 20 May 2023|Alice went to a concert on 20 May 2023.'],
    ],
    [
      "I'm planning to run a marathon in October.",
      ['Alice|plan|run a marathon in October 2023|Alice is planning to run a marathon in October 2023.'],
    ],
  ];
  for (const [text, expected] of cases) {
    it(`"${text}"`, () => assert.deepEqual(facts(text), expected));
  }

  it('keeps small talk, questions and vague statements out', () => {
    for (const text of [
      'Hey Mel! Good to see you! How have you been?',
      "I'm so excited about it.",
      'I like that.',
      'Do you live in Paris?',
      'I love you!',
    ]) {
      assert.deepEqual(facts(text), [], text);
    }
  });

  it('recognises a correction and what it corrects', () => {
    const [f] = extractFromTurn(
      { text: "Actually it's Tuesday, not Monday.", speaker: 'Alice', role: 'user', at: SAID },
      3,
    );
    assert.equal(f?.attribute, 'correction');
    assert.equal(f?.value, 'Tuesday');
    assert.deepEqual(f?.correction, { from: 'Monday' });
    assert.equal(f?.turn, 3);
  });

  it('names the app user "The user" when the speaker has no name', () => {
    assert.deepEqual(facts('I live in Oslo.', null, 'user'), ['user|lives_in|Oslo|The user lives in Oslo.']);
  });

  it('marks dated facts with their date and the extractor', () => {
    const [f] = extractFromTurn(
      { text: 'I went to a concert last Saturday.', speaker: 'Alice', role: 'user', at: SAID },
      0,
    );
    assert.equal(f?.eventDate, '2023-05-20');
    assert.equal(f?.dateGranularity, 'day');
    assert.equal(f?.language, 'en');
    assert.equal(f?.extractor, 'rules');
  });
});

describe('rule extraction: Chinese', () => {
  const cases: Array<[string, string[]]> = [
    ['我对青霉素过敏。', ['Alice|allergy|青霉素|Alice对青霉素过敏。']],
    ['我搬到了上海。', ['Alice|lives_in|上海|Alice住在上海（最近搬过去的）。']],
    ['我住在北京。', ['Alice|lives_in|北京|Alice住在北京。']],
    ['我在腾讯工作。', ['Alice|works_at|腾讯|Alice在腾讯工作。']],
    ['我是一名医生。', ['Alice|job|医生|Alice是医生。']],
    ['我上周六去了音乐会。', ['Alice|event|Alice在2023年5月20日去了音乐会|Alice在2023年5月20日去了音乐会。']],
    ['我最喜欢的水果是芒果。', ['Alice|favourite_水果|芒果|Alice最喜欢的水果是芒果。']],
    ['我喜欢寿司。', ['Alice|opinion:寿司|likes|Alice喜欢寿司。']],
    ['我不再喜欢寿司了。', ['Alice|opinion:寿司|dislikes|Alice不再喜欢寿司。']],
    [
      '我女儿小美明年五月满七岁。',
      ['Alice|has_女儿|小美|Alice的女儿叫小美。', '小美|turns_age|七岁（2024年5月）|小美2024年5月满七岁。'],
    ],
    ['我打算下个月去日本旅游。', ['Alice|plan|2023年6月去日本旅游|Alice打算2023年6月去日本旅游。']],
    ['我的瑜伽课在周一。', ['Alice|schedule:瑜伽课|周一|Alice的瑜伽课在周一。']],
    ['我叫李雷。', ['Alice|name|李雷|Alice的名字是李雷。']],
    [
      '我和小红分手了。',
      [
        'Alice|relationship_status|单身|Alice现在单身。',
        'Alice|partner|无|Alice已经和小红分开，现在没有伴侣。',
      ],
    ],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.deepEqual(facts(text), expected));
  }

  it('recognises 其实是周二，不是周一 as a correction', () => {
    const [f] = extractFromTurn(
      { text: '其实是周二，不是周一。', speaker: 'Alice', role: 'user', at: SAID },
      0,
    );
    assert.equal(f?.value, '周二');
    assert.deepEqual(f?.correction, { from: '周一' });
    assert.equal(f?.language, 'zh');
  });

  it('writes "用户" for an unnamed user in Chinese facts', () => {
    assert.deepEqual(facts('我对花生过敏。', null, 'user'), ['user|allergy|花生|用户对花生过敏。']);
  });
});

describe('sentences and language', () => {
  it('splits sentences without breaking abbreviations', () => {
    assert.deepEqual(splitSentences('I saw Dr. Smith today. It went well! 我很好。你呢？'), [
      'I saw Dr. Smith today.',
      'It went well!',
      '我很好。',
      '你呢？',
    ]);
  });

  it('detects Chinese by the share of Han characters', () => {
    assert.equal(detectLanguage('我对青霉素过敏'), 'zh');
    assert.equal(detectLanguage('I love 寿司 and ramen and tempura'), 'en');
  });

  it('extracts from a mixed-language turn in each sentence’s language', () => {
    assert.deepEqual(facts('I live in Berlin. 我对花生过敏。'), [
      'Alice|lives_in|Berlin|Alice lives in Berlin.',
      'Alice|allergy|花生|Alice对花生过敏。',
    ]);
  });
});
