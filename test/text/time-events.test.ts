import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { eventOverlap, MAX_EVENT_TEXT, MAX_EVENTS, resolveEventTimes } from '../../src/text/time/events.js';

/** Thursday 14 September 2023, 10:00 UTC. */
const THURSDAY = new Date('2023-09-14T10:00:00Z');

function events(text: string, said = THURSDAY): string[] {
  return resolveEventTimes(text, said).map((e) => `${e.text}=${e.start}..${e.end}/${e.granularity}`);
}

describe('resolveEventTimes: when what a memory tells about happened', () => {
  it('past days and weeks, English', () => {
    assert.deepEqual(events('Last Sunday I swam across the lake for charity'), [
      'Last Sunday=2023-09-10..2023-09-11/day',
    ]);
    assert.deepEqual(events('I went to my first pottery class yesterday!'), [
      'yesterday=2023-09-13..2023-09-14/day',
    ]);
    assert.deepEqual(events('We repainted the fence two weeks ago.'), [
      'two weeks ago=2023-08-28..2023-09-04/week',
    ]);
    assert.deepEqual(events('My sister visited last month.'), ['last month=2023-08-01..2023-09-01/month']);
    assert.deepEqual(events('We met on the 4th at the bakery.'), ['on the 4th=2023-09-04..2023-09-05/day']);
    assert.deepEqual(events('I got the keys in May.'), ['in May=2023-05-01..2023-06-01/month']);
  });

  it('plans point forward: a bare weekday or month in a future statement is the next one', () => {
    assert.deepEqual(events("I'm going to run a half marathon in March."), [
      'in March=2024-03-01..2024-04-01/month',
    ]);
    assert.deepEqual(events('I will fly to Oslo on Monday.'), ['on Monday=2023-09-18..2023-09-19/day']);
    assert.deepEqual(events('My cousin arrives next Tuesday.'), ['next Tuesday=2023-09-19..2023-09-20/day']);
    assert.deepEqual(events('This weekend we will paint the kitchen.'), [
      'This weekend=2023-09-16..2023-09-18/range',
    ]);
  });

  it('Chinese: 昨天, 前天, 上周六, 两周前, 上个月, 去年五月, 下周六 (a plan)', () => {
    assert.deepEqual(events('我昨天去看了牙医。'), ['昨天=2023-09-13..2023-09-14/day']);
    assert.deepEqual(events('前天我在家包饺子。'), ['前天=2023-09-12..2023-09-13/day']);
    assert.deepEqual(events('上周六我们去爬了香山。'), ['上周六=2023-09-09..2023-09-10/day']);
    assert.deepEqual(events('两周前我换了工作。'), ['两周前=2023-08-28..2023-09-04/week']);
    assert.deepEqual(events('上个月我学会了游泳。'), ['上个月=2023-08-01..2023-09-01/month']);
    assert.deepEqual(events('去年五月我去了成都。'), ['去年五月=2022-05-01..2022-06-01/month']);
    assert.deepEqual(events('我下周六要去杭州看朋友。'), ['下周六=2023-09-23..2023-09-24/day']);
  });

  it('Chinese month-day without a year is the most recent such day not after the said day', () => {
    assert.deepEqual(events('我们9月3号一起吃了火锅。'), ['9月3号=2023-09-03..2023-09-04/day']);
    assert.deepEqual(events('十月五日那天下了大雨。'), ['十月五日=2022-10-05..2022-10-06/day']);
    assert.deepEqual(events('8/30 我参加了面试。'), ['8/30=2023-08-30..2023-08-31/day']);
  });

  it('names no date for vague words, bare seasons, and texts without calendar words', () => {
    assert.deepEqual(events('I have been baking a lot recently.'), []);
    assert.deepEqual(events('The summer breeze was lovely.'), []);
    assert.deepEqual(events('最近我在学吉他。'), []);
    assert.deepEqual(events('Pass me the salt, please.'), []);
    assert.deepEqual(events('Add 1/2 cup of sugar.'), []);
  });

  it('reads a bounded prefix and keeps a bounded number of ranges', () => {
    const dates = Array.from({ length: 40 }, (_, i) => `on ${1 + (i % 28)} March 2021`).join(', ');
    assert.equal(resolveEventTimes(dates, THURSDAY).length, MAX_EVENTS);
    const late = `${'word '.repeat(MAX_EVENT_TEXT / 5)} yesterday`;
    assert.deepEqual(resolveEventTimes(late, THURSDAY), []);
  });

  it('an invalid said time gives no events instead of throwing', () => {
    assert.deepEqual(resolveEventTimes('yesterday', new Date(Number.NaN)), []);
  });
});

describe('eventOverlap', () => {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
  it('a day inside the range counts fully, a month asked by one of its days a thirtieth', () => {
    const swim = resolveEventTimes('Last Sunday I swam across the lake', THURSDAY);
    assert.equal(eventOverlap(swim, day('2023-09-10'), day('2023-09-11')), 1);
    assert.equal(eventOverlap(swim, day('2023-09-01'), day('2023-10-01')), 1);
    assert.equal(eventOverlap(swim, day('2023-09-11'), day('2023-09-12')), 0);
    const month = resolveEventTimes('My sister visited last month.', THURSDAY);
    assert.equal(eventOverlap(month, day('2023-08-10'), day('2023-08-11')), 1 / 31);
  });
});

const PAST_SENTENCES = [
  'I swam in the lake {w}.',
  'We finished the puzzle {w}.',
  '{w} my brother fixed the roof.',
  'She adopted a kitten {w}.',
];
const PAST_WORDS = [
  'yesterday',
  'last Sunday',
  'on Friday',
  'two weeks ago',
  'last month',
  'in May',
  'on the 12th',
  'last weekend',
  'three days ago',
  'the day before yesterday',
  '昨天',
  '上周六',
  '前天',
  '上个月',
  '两周前',
  '5月4号',
];

describe('resolveEventTimes: properties', () => {
  it('is total: any text and any valid time give a list, never an exception', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.date({ min: new Date('1990-01-01'), max: new Date('2060-01-01'), noInvalidDate: true }),
        (text, said) => Array.isArray(resolveEventTimes(text, said)),
      ),
      { numRuns: 300 },
    );
  });

  it('never places a past-tense event after the day it was said', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAST_SENTENCES),
        fc.constantFrom(...PAST_WORDS),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        (sentence, words, said) => {
          const saidDay = said.toISOString().slice(0, 10);
          for (const e of resolveEventTimes(sentence.replace('{w}', words), said)) {
            if (e.start > saidDay) return false;
          }
          return true;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAST_WORDS), (w) => {
        const a = resolveEventTimes(`I saw her ${w}`, THURSDAY);
        const b = resolveEventTimes(`I saw her ${w}`, THURSDAY);
        return JSON.stringify(a) === JSON.stringify(b);
      }),
    );
  });
});
