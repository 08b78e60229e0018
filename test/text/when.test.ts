import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWhenQuestion, mentionsDate } from '../../src/text/time.js';

describe('isWhenQuestion', () => {
  const yes = [
    'When did Caroline go to the LGBTQ support group?',
    'when is the wedding',
    'So when was that?',
    'What year did Melanie start painting?',
    'On what date did Jon open his studio?',
    'Which month did they move?',
    'What time does the class start?',
    'How long ago did Gina lose her job?',
    'How many years ago did she graduate?',
    'Since when has he been vegan?',
    'Do you know when did she leave?',
    '我什么时候去的北京？',
    '她哪天生日',
    '你是哪一年毕业的',
    '几月去日本',
    '下次聚会是几号',
    '他星期几上课',
  ];
  const no = [
    'What did Caroline paint?',
    'Where does Melanie live?',
    'What did you do when you were in Paris?',
    'Who is Jon married to?',
    'How long is the drive?',
    'Tell me about the time we went hiking',
    '我对什么药过敏',
    '她住在哪里',
    '',
  ];
  for (const q of yes) it(`yes: ${q}`, () => assert.equal(isWhenQuestion(q), true));
  for (const q of no) it(`no: ${q || '(empty)'}`, () => assert.equal(isWhenQuestion(q), false));
});

describe('mentionsDate', () => {
  const yes = [
    'I went to the support group yesterday.',
    'We met last week at the park.',
    'It was on 8 May 2022.',
    'We moved in 2019.',
    'Back in May we painted the fence.',
    'I signed up three weeks ago!',
    'I go swimming on Fridays.',
    'See you on Saturday',
    'The meeting is 2023-05-07.',
    'Let us do it over the weekend',
    'I have been busy recently',
    '我昨天去了医院',
    '上周六我们去了杭州',
    '去年五月我搬家了',
    '2023年5月7日',
    '三天前',
  ];
  const no = [
    'I love painting sunsets.',
    'I have 2 cats and a dog.',
    'May I ask you something?',
    'He ran 5 km.',
    'Thanks, that sounds great!',
    '我对青霉素过敏',
    '我喜欢吃火锅',
    '',
  ];
  for (const t of yes) it(`yes: ${t}`, () => assert.equal(mentionsDate(t), true));
  for (const t of no) it(`no: ${t || '(empty)'}`, () => assert.equal(mentionsDate(t), false));
});
