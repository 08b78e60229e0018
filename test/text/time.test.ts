import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngramError } from '../../src/core/errors.js';
import { parseTimeExpressions, resolveRelativeDate, type TimeExpression } from '../../src/text/time.js';

/** Thursday 25 May 2023, 15:00 UTC. */
const NOW = new Date('2023-05-25T15:00:00Z');

type Row = [text: string, start: string, end: string, granularity: TimeExpression['granularity']];

function check(rows: Row[], now = NOW): void {
  for (const [text, start, end, granularity] of rows) {
    const found = parseTimeExpressions(text, now);
    assert.equal(found.length, 1, `${text}: expected one expression, got ${JSON.stringify(found)}`);
    const [e] = found;
    assert.equal(e.start.toISOString(), `${start}T00:00:00.000Z`, `${text}: start`);
    assert.equal(e.end.toISOString(), `${end}T00:00:00.000Z`, `${text}: end`);
    assert.equal(e.granularity, granularity, `${text}: granularity`);
    assert.equal(e.text, text, `${text}: text`);
    assert.equal(e.index, 0, `${text}: index`);
  }
}

describe('parseTimeExpressions: English, relative to Thursday 2023-05-25', () => {
  it('resolves days', () => {
    check([
      ['today', '2023-05-25', '2023-05-26', 'day'],
      ['tonight', '2023-05-25', '2023-05-26', 'day'],
      ['yesterday', '2023-05-24', '2023-05-25', 'day'],
      ['last night', '2023-05-24', '2023-05-25', 'day'],
      ['the day before yesterday', '2023-05-23', '2023-05-24', 'day'],
      ['tomorrow', '2023-05-26', '2023-05-27', 'day'],
      ['the day after tomorrow', '2023-05-27', '2023-05-28', 'day'],
    ]);
  });

  it('resolves calendar weeks (Monday–Sunday), months, years and weekends', () => {
    check([
      ['last week', '2023-05-15', '2023-05-22', 'week'],
      ['this week', '2023-05-22', '2023-05-29', 'week'],
      ['next week', '2023-05-29', '2023-06-05', 'week'],
      ['the week before last', '2023-05-08', '2023-05-15', 'week'],
      ['last month', '2023-04-01', '2023-05-01', 'month'],
      ['this month', '2023-05-01', '2023-06-01', 'month'],
      ['next month', '2023-06-01', '2023-07-01', 'month'],
      ['last year', '2022-01-01', '2023-01-01', 'year'],
      ['this year', '2023-01-01', '2024-01-01', 'year'],
      ['next year', '2024-01-01', '2025-01-01', 'year'],
      ['last weekend', '2023-05-20', '2023-05-22', 'range'],
      ['this weekend', '2023-05-27', '2023-05-29', 'range'],
      ['next weekend', '2023-06-03', '2023-06-05', 'range'],
      ['over the weekend', '2023-05-20', '2023-05-22', 'range'],
    ]);
  });

  it('resolves weekdays with a past bias', () => {
    check([
      ['last Saturday', '2023-05-20', '2023-05-21', 'day'],
      ['last Monday', '2023-05-22', '2023-05-23', 'day'],
      ['last Thursday', '2023-05-18', '2023-05-19', 'day'],
      ['on Friday', '2023-05-19', '2023-05-20', 'day'],
      ['Tuesday', '2023-05-23', '2023-05-24', 'day'],
      ['Thursday', '2023-05-25', '2023-05-26', 'day'],
      ['this Friday', '2023-05-26', '2023-05-27', 'day'],
      ['this Monday', '2023-05-22', '2023-05-23', 'day'],
      ['next Friday', '2023-05-26', '2023-05-27', 'day'],
      ['next Thursday', '2023-06-01', '2023-06-02', 'day'],
    ]);
  });

  it('resolves "ago" and vague quantities', () => {
    check([
      ['3 days ago', '2023-05-22', '2023-05-23', 'day'],
      ['a day ago', '2023-05-24', '2023-05-25', 'day'],
      ['two weeks ago', '2023-05-08', '2023-05-15', 'week'],
      ['a couple of weeks ago', '2023-05-08', '2023-05-15', 'week'],
      ['3 months ago', '2023-02-01', '2023-03-01', 'month'],
      ['a year ago', '2022-01-01', '2023-01-01', 'year'],
      ['ten years ago', '2013-01-01', '2014-01-01', 'year'],
      ['a few days ago', '2023-05-18', '2023-05-24', 'range'],
      ['several weeks ago', '2023-04-13', '2023-05-18', 'range'],
      ['a few months ago', '2022-11-01', '2023-04-01', 'range'],
      ['recently', '2023-04-26', '2023-05-26', 'range'],
      ['lately', '2023-04-26', '2023-05-26', 'range'],
      ['the other day', '2023-05-18', '2023-05-25', 'range'],
      ['the past 3 days', '2023-05-23', '2023-05-26', 'range'],
      ['the last week', '2023-05-19', '2023-05-26', 'range'],
      ['over the past few weeks', '2023-04-28', '2023-05-26', 'range'],
      ['in the past two months', '2023-03-26', '2023-05-26', 'range'],
    ]);
  });

  it('resolves explicit dates and months', () => {
    check([
      ['in May 2023', '2023-05-01', '2023-06-01', 'month'],
      ['May 2023', '2023-05-01', '2023-06-01', 'month'],
      ['June of 2021', '2021-06-01', '2021-07-01', 'month'],
      ['May 7', '2023-05-07', '2023-05-08', 'day'],
      ['May 7th', '2023-05-07', '2023-05-08', 'day'],
      ['May 7th 2023', '2023-05-07', '2023-05-08', 'day'],
      ['May 7, 2022', '2022-05-07', '2022-05-08', 'day'],
      ['Sunday, May 7, 2023', '2023-05-07', '2023-05-08', 'day'],
      ['7 May 2023', '2023-05-07', '2023-05-08', 'day'],
      ['the 7th of May', '2023-05-07', '2023-05-08', 'day'],
      ['Jan. 5', '2023-01-05', '2023-01-06', 'day'],
      ['2023-05-07', '2023-05-07', '2023-05-08', 'day'],
      ['2023/05/07', '2023-05-07', '2023-05-08', 'day'],
      ['5/7/2023', '2023-05-07', '2023-05-08', 'day'],
      ['12/31/22', '2022-12-31', '2023-01-01', 'day'],
      ['2022-11', '2022-11-01', '2022-12-01', 'month'],
      ['in 2022', '2022-01-01', '2023-01-01', 'year'],
      ['2019', '2019-01-01', '2020-01-01', 'year'],
    ]);
  });

  it('resolves month names with a past bias and last/this/next', () => {
    check([
      ['in May', '2023-05-01', '2023-06-01', 'month'],
      ['in may', '2023-05-01', '2023-06-01', 'month'],
      ['June', '2022-06-01', '2022-07-01', 'month'],
      ['in December', '2022-12-01', '2023-01-01', 'month'],
      ['last May', '2022-05-01', '2022-06-01', 'month'],
      ['last April', '2023-04-01', '2023-05-01', 'month'],
      ['this June', '2023-06-01', '2023-07-01', 'month'],
      ['next May', '2024-05-01', '2024-06-01', 'month'],
      ['next June', '2023-06-01', '2023-07-01', 'month'],
      ['June 30', '2022-06-30', '2022-07-01', 'day'],
    ]);
  });

  it('resolves parts of months and years, and seasons', () => {
    check([
      ['early May', '2023-05-01', '2023-05-11', 'range'],
      ['mid-March 2022', '2022-03-11', '2022-03-21', 'range'],
      ['late April', '2023-04-21', '2023-05-01', 'range'],
      ['the end of February 2024', '2024-02-21', '2024-03-01', 'range'],
      ['early 2022', '2022-01-01', '2022-05-01', 'range'],
      ['late 2021', '2021-09-01', '2022-01-01', 'range'],
      ['the summer of 2022', '2022-06-01', '2022-09-01', 'range'],
      ['summer 2021', '2021-06-01', '2021-09-01', 'range'],
      ['winter 2022', '2022-12-01', '2023-03-01', 'range'],
      ['last summer', '2022-06-01', '2022-09-01', 'range'],
      ['last spring', '2022-03-01', '2022-06-01', 'range'],
      ['last winter', '2022-12-01', '2023-03-01', 'range'],
      ['this spring', '2023-03-01', '2023-06-01', 'range'],
      ['next summer', '2023-06-01', '2023-09-01', 'range'],
      ['in the fall', '2022-09-01', '2022-12-01', 'range'],
    ]);
  });

  it('turns "since X" into a range up to today', () => {
    check([
      ['since March', '2023-03-01', '2023-05-26', 'range'],
      ['since 2020', '2020-01-01', '2023-05-26', 'range'],
    ]);
  });

  it('finds several expressions in text order with their offsets', () => {
    const text =
      'When did Melanie paint a sunrise? She painted it last year, on 8 May 2022, and again yesterday.';
    const found = parseTimeExpressions(text, NOW);
    assert.deepEqual(
      found.map((e) => [e.text, e.index, e.start.toISOString().slice(0, 10), e.granularity]),
      [
        ['last year', text.indexOf('last year'), '2022-01-01', 'year'],
        ['on 8 May 2022', text.indexOf('on 8 May'), '2022-05-08', 'day'],
        ['yesterday', text.indexOf('yesterday'), '2023-05-24', 'day'],
      ],
    );
  });

  it('keeps every one of many adjacent expressions, and the longest where they overlap', () => {
    // 1,500 expressions in one text: the overlap check must stay linear (it was quadratic).
    const text = 'last week yesterday '.repeat(750);
    const found = parseTimeExpressions(text, NOW);
    assert.equal(found.length, 1_500);
    assert.deepEqual(
      found.slice(0, 2).map((e) => [e.text, e.index]),
      [
        ['last week', 0],
        ['yesterday', 10],
      ],
    );
    // "on 8 May 2022" wins over the "8 May" and "May 2022" inside it.
    assert.deepEqual(
      parseTimeExpressions('we met on 8 May 2022 at noon', NOW).map((e) => e.text),
      ['on 8 May 2022'],
    );
  });

  it('ignores words that only look like dates', () => {
    for (const text of [
      'I may go. May I ask you something?',
      'They march on.',
      'He paid $2000 and walked 2000 steps.',
      'Watch your step or you will fall.',
      'I sat in the sun on Fridays.',
      'Room 12, 3 people',
      '',
    ]) {
      assert.deepEqual(parseTimeExpressions(text, NOW), [], text);
    }
  });

  it('keeps full-width digits at their original offsets', () => {
    const [e] = parseTimeExpressions('去了 ２０２３年５月', NOW);
    assert.equal(e.text, '２０２３年５月');
    assert.equal(e.index, 3);
    assert.equal(e.start.toISOString(), '2023-05-01T00:00:00.000Z');
  });
});

describe('parseTimeExpressions: past bias at the turn of the year', () => {
  const JANUARY = new Date('2024-01-10T09:00:00Z'); // a Wednesday
  it('places month names and dates without a year in the past', () => {
    check(
      [
        ['May 7', '2023-05-07', '2023-05-08', 'day'],
        ['in May', '2023-05-01', '2023-06-01', 'month'],
        ['early December', '2023-12-01', '2023-12-11', 'range'],
        ['this winter', '2023-12-01', '2024-03-01', 'range'],
        ['last winter', '2022-12-01', '2023-03-01', 'range'],
        ['last month', '2023-12-01', '2024-01-01', 'month'],
        ['last week', '2024-01-01', '2024-01-08', 'week'],
        ['3 months ago', '2023-10-01', '2023-11-01', 'month'],
      ],
      JANUARY,
    );
  });
});

describe('parseTimeExpressions: Chinese, relative to Thursday 2023-05-25', () => {
  it('resolves relative days, weeks, months and years', () => {
    check([
      ['今天', '2023-05-25', '2023-05-26', 'day'],
      ['昨天', '2023-05-24', '2023-05-25', 'day'],
      ['前天', '2023-05-23', '2023-05-24', 'day'],
      ['大前天', '2023-05-22', '2023-05-23', 'day'],
      ['明天', '2023-05-26', '2023-05-27', 'day'],
      ['后天', '2023-05-27', '2023-05-28', 'day'],
      ['上周', '2023-05-15', '2023-05-22', 'week'],
      ['上个星期', '2023-05-15', '2023-05-22', 'week'],
      ['本周', '2023-05-22', '2023-05-29', 'week'],
      ['这周', '2023-05-22', '2023-05-29', 'week'],
      ['下周', '2023-05-29', '2023-06-05', 'week'],
      ['上上周', '2023-05-08', '2023-05-15', 'week'],
      ['上个月', '2023-04-01', '2023-05-01', 'month'],
      ['这个月', '2023-05-01', '2023-06-01', 'month'],
      ['下个月', '2023-06-01', '2023-07-01', 'month'],
      ['去年', '2022-01-01', '2023-01-01', 'year'],
      ['今年', '2023-01-01', '2024-01-01', 'year'],
      ['前年', '2021-01-01', '2022-01-01', 'year'],
      ['明年', '2024-01-01', '2025-01-01', 'year'],
    ]);
  });

  it('resolves weekdays and weekends', () => {
    check([
      ['上周六', '2023-05-20', '2023-05-21', 'day'],
      ['上星期一', '2023-05-15', '2023-05-16', 'day'],
      ['这周日', '2023-05-28', '2023-05-29', 'day'],
      ['下周三', '2023-05-31', '2023-06-01', 'day'],
      ['周六', '2023-05-20', '2023-05-21', 'day'],
      ['星期天', '2023-05-21', '2023-05-22', 'day'],
      ['礼拜四', '2023-05-25', '2023-05-26', 'day'],
      ['上周末', '2023-05-20', '2023-05-22', 'range'],
      ['这个周末', '2023-05-27', '2023-05-29', 'range'],
      ['周末', '2023-05-20', '2023-05-22', 'range'],
    ]);
  });

  it('resolves explicit and relative-year months and dates', () => {
    check([
      ['去年五月', '2022-05-01', '2022-06-01', 'month'],
      ['去年5月', '2022-05-01', '2022-06-01', 'month'],
      ['今年三月份', '2023-03-01', '2023-04-01', 'month'],
      ['2023年5月', '2023-05-01', '2023-06-01', 'month'],
      ['二〇二二年十二月', '2022-12-01', '2023-01-01', 'month'],
      ['2023年5月7日', '2023-05-07', '2023-05-08', 'day'],
      ['去年十月十二号', '2022-10-12', '2022-10-13', 'day'],
      ['5月7日', '2023-05-07', '2023-05-08', 'day'],
      ['六月一日', '2022-06-01', '2022-06-02', 'day'],
      ['五月', '2023-05-01', '2023-06-01', 'month'],
      ['十二月', '2022-12-01', '2023-01-01', 'month'],
      ['7号', '2023-05-07', '2023-05-08', 'day'],
      ['28号', '2023-04-28', '2023-04-29', 'day'],
      ['2022年', '2022-01-01', '2023-01-01', 'year'],
      ['五月初', '2023-05-01', '2023-05-11', 'range'],
      ['去年年底', '2022-09-01', '2023-01-01', 'range'],
      ['2022年底', '2022-09-01', '2023-01-01', 'range'],
      ['今年初', '2023-01-01', '2023-05-01', 'range'],
      ['去年夏天', '2022-06-01', '2022-09-01', 'range'],
      ['2021年的冬天', '2021-12-01', '2022-03-01', 'range'],
    ]);
  });

  it('resolves "ago" and recent windows', () => {
    check([
      ['三天前', '2023-05-22', '2023-05-23', 'day'],
      ['3天前', '2023-05-22', '2023-05-23', 'day'],
      ['两周前', '2023-05-08', '2023-05-15', 'week'],
      ['两个星期前', '2023-05-08', '2023-05-15', 'week'],
      ['三个月前', '2023-02-01', '2023-03-01', 'month'],
      ['两年以前', '2021-01-01', '2022-01-01', 'year'],
      ['几天前', '2023-05-18', '2023-05-24', 'range'],
      ['前几天', '2023-05-18', '2023-05-24', 'range'],
      ['半年前', '2022-11-01', '2022-12-01', 'month'],
      ['最近', '2023-04-26', '2023-05-26', 'range'],
      ['最近三天', '2023-05-23', '2023-05-26', 'range'],
      ['过去两周', '2023-05-12', '2023-05-26', 'range'],
      ['这几天', '2023-05-19', '2023-05-26', 'range'],
    ]);
  });

  it('finds expressions inside sentences and ignores look-alikes', () => {
    const found = parseTimeExpressions('我上周六去了北京，三天前回来的', NOW);
    assert.deepEqual(
      found.map((e) => [e.text, e.index, e.start.toISOString().slice(0, 10)]),
      [
        ['上周六', 1, '2023-05-20'],
        ['三天前', 9, '2023-05-22'],
      ],
    );
    for (const text of ['我对青霉素过敏', '以前天气很好', '三个月的课程', '晚上周末都有空']) {
      assert.deepEqual(
        parseTimeExpressions(text, NOW).map((e) => e.text),
        text === '晚上周末都有空' ? ['周末'] : [],
        text,
      );
    }
  });
});

describe('parseTimeExpressions: time zones', () => {
  // 20:00 UTC on Thursday is already 04:00 on Friday 26 May in Shanghai (UTC+8).
  const LATE = new Date('2023-05-25T20:00:00Z');

  it('computes local calendar days for a UTC offset', () => {
    const [e] = parseTimeExpressions('yesterday', LATE, { utcOffsetMinutes: 480 });
    assert.equal(e.start.toISOString(), '2023-05-24T16:00:00.000Z');
    assert.equal(e.end.toISOString(), '2023-05-25T16:00:00.000Z');
    const [m] = parseTimeExpressions('last month', LATE, { utcOffsetMinutes: -300 });
    assert.equal(m.start.toISOString(), '2023-04-01T05:00:00.000Z');
    assert.equal(m.end.toISOString(), '2023-05-01T05:00:00.000Z');
  });

  it('accepts an IANA time zone', () => {
    const [e] = parseTimeExpressions('今天', LATE, { timeZone: 'Asia/Shanghai' });
    assert.equal(e.start.toISOString(), '2023-05-25T16:00:00.000Z');
  });

  it('rejects an unknown zone, a bad offset and an invalid reference time', () => {
    assert.throws(
      () => parseTimeExpressions('today', NOW, { timeZone: 'Mars/Olympus' }),
      (e: unknown) =>
        e instanceof EngramError && e.code === 'INVALID_INPUT' && /Mars\/Olympus/.test(e.message),
    );
    assert.throws(
      () => parseTimeExpressions('today', NOW, { utcOffsetMinutes: 5000 }),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_INPUT',
    );
    assert.throws(
      () => parseTimeExpressions('today', new Date('not a date')),
      (e: unknown) => e instanceof EngramError && e.code === 'INVALID_DATE',
    );
  });
});

describe('resolveRelativeDate', () => {
  const SAID = new Date('2023-05-25T10:00:00Z'); // Thursday

  it('resolves what a statement meant when it was said', () => {
    const rows: [string, string, string][] = [
      ['last Saturday', '2023-05-20', 'day'],
      ['上周六', '2023-05-20', 'day'],
      ['yesterday', '2023-05-24', 'day'],
      ['two weeks ago', '2023-05-08', 'week'],
      ['去年五月', '2022-05-01', 'month'],
      ['I went there last Friday with Jon', '2023-05-19', 'day'],
    ];
    for (const [expression, start, granularity] of rows) {
      const e = resolveRelativeDate(expression, SAID);
      assert.ok(e, expression);
      assert.equal(e.start.toISOString().slice(0, 10), start, expression);
      assert.equal(e.granularity, granularity, expression);
    }
  });

  it('returns null when nothing in the text is a date', () => {
    assert.equal(resolveRelativeDate('my guinea pig Oscar', SAID), null);
    assert.equal(resolveRelativeDate('', SAID), null);
  });
});

describe('parseTimeExpressions: month-day without a year, and "on the Nth"', () => {
  it('4/27 and 12/3 are the most recent such day not after today', () => {
    check([
      ['4/27', '2023-04-27', '2023-04-28', 'day'],
      ['5/25', '2023-05-25', '2023-05-26', 'day'],
      ['12/3', '2022-12-03', '2022-12-04', 'day'],
    ]);
  });

  it('fractions, scores and 24/7 are not dates', () => {
    for (const text of [
      'add 1/2 cup of milk',
      '3/4 of the class came',
      'open 24/7',
      'rated 4/5 stars',
      '13/40',
    ])
      assert.deepEqual(parseTimeExpressions(text, NOW), [], text);
  });

  it('"on the 15th" is that day of this month, or of last month before it comes', () => {
    check([
      ['on the 15th', '2023-05-15', '2023-05-16', 'day'],
      ['on the 28th', '2023-04-28', '2023-04-29', 'day'],
    ]);
    assert.deepEqual(parseTimeExpressions('she finished on the 3rd floor', NOW), []);
  });

  it('Chinese month-day with 号 or 日, in digits or numerals; weekdays with 周, 星期, 礼拜', () => {
    check([
      ['4月27号', '2023-04-27', '2023-04-28', 'day'],
      ['5月4日', '2023-05-04', '2023-05-05', 'day'],
      ['五月四号', '2023-05-04', '2023-05-05', 'day'],
      ['6月1号', '2022-06-01', '2022-06-02', 'day'],
      ['周六', '2023-05-20', '2023-05-21', 'day'],
      ['星期六', '2023-05-20', '2023-05-21', 'day'],
      ['礼拜六', '2023-05-20', '2023-05-21', 'day'],
    ]);
  });
});
