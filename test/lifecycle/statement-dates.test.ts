import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absolutize, resolveStatementDates } from '../../src/memory/lifecycle/extract/statement-dates.js';

// Thursday.
const SAID = new Date('2023-05-25T14:00:00Z');

function resolve(text: string, language: 'en' | 'zh' = 'en') {
  const dates = resolveStatementDates(text, SAID, language);
  return { text: absolutize(text, dates), dates: dates.map((d) => [d.expression, d.date, d.granularity]) };
}

describe('statement dates', () => {
  it('resolves "last Saturday" said on 2023-05-25 to 2023-05-20, in English and Chinese', () => {
    assert.deepEqual(resolve('I went to a concert last Saturday.'), {
      text: 'I went to a concert on 20 May 2023.',
      dates: [['last Saturday', '2023-05-20', 'day']],
    });
    assert.deepEqual(resolve('我上周六去了音乐会', 'zh'), {
      text: '我2023年5月20日去了音乐会',
      dates: [['上周六', '2023-05-20', 'day']],
    });
  });

  it('rewrites days, weeks, months and years absolutely', () => {
    assert.equal(resolve('I went hiking yesterday').text, 'I went hiking on 24 May 2023');
    assert.equal(resolve('I moved here last month').text, 'I moved here in April 2023');
    assert.equal(resolve('I was diagnosed last year').text, 'I was diagnosed in 2022');
    assert.equal(resolve('I started last week').text, 'I started in the week of 15 May 2023');
    assert.equal(resolve('三天前我搬到了上海', 'zh').text, '2023年5月22日我搬到了上海');
    assert.equal(resolve('我下个月要去北京', 'zh').text, '我2023年6月要去北京');
  });

  it('moves a bare month forward in a plan, and keeps it in the past in a report', () => {
    assert.deepEqual(resolve('I will run a marathon in October').dates, [
      ['in October', '2023-10-01', 'month'],
    ]);
    assert.deepEqual(resolve('I ran a marathon in October').dates, [['in October', '2022-10-01', 'month']]);
    assert.deepEqual(resolve('Emma turns 7 in May').dates, [['in May', '2023-05-01', 'month']]);
    assert.deepEqual(resolve('我打算明年五月去日本', 'zh').dates, [['明年五月', '2024-05-01', 'month']]);
  });

  it('resolves "in three days" in a plan', () => {
    assert.deepEqual(resolve("I'll call the dentist in three days").dates, [
      ['in three days', '2023-05-28', 'day'],
    ]);
  });

  it('keeps written-out dates as they are said', () => {
    assert.equal(resolve('We met on 3 May 2023.').text, 'We met on 3 May 2023.');
    assert.deepEqual(resolve('nothing about time here').dates, []);
  });
});
