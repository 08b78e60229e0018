/**
 * Chinese, Japanese and Korean helpers for the analyzer.
 *
 * Intl.Segmenter's dictionary words are good but not perfect (「我的猫叫什么名字」 comes out as 我的 / 猫叫 /
 * 什么 / 名字, and 「编程」 after a Latin word as 编 / 程), and a query word must match the stored word
 * exactly. Character bigrams over each CJK run make recall independent of where the segmenter cut:
 * 「对什么药过敏」 and 「我对青霉素过敏」 share the bigram 过敏 whatever the words are. Han unigrams on the
 * index side let a one-character query word (猫) find longer words that contain it (小猫咪).
 */
import { CHINESE_WEEKDAY_SUFFIX, MONTH_TERMS, parseChineseNumber, WEEKDAY_TERMS } from './calendar-words.js';

// Letters only: the Han script also holds radicals and ideographic symbols (⺀, 〆 …) that are not
// letters and that unicode61 treats as separators; the lookahead keeps them out.
const CJK_LETTER = '(?:(?=\\p{L})[\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u30FC])';
const CJK_CHAR = new RegExp(CJK_LETTER, 'u');
const CJK_RUNS = new RegExp(`${CJK_LETTER}{2,}`, 'gu');
const HAN_CHAR = /(?=\p{L})\p{sc=Han}/u;
const SINGLE_HIRAGANA = /^\p{sc=Hiragana}$/u;

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

export function isHan(char: string): boolean {
  return HAN_CHAR.test(char);
}

/** A lone hiragana character is a particle or an inflection ending (を, は, た), never worth indexing. */
export function isSingleHiragana(word: string): boolean {
  return SINGLE_HIRAGANA.test(word);
}

/** Adjacent-character pairs of every CJK run, in text order; `keep` filters each pair. */
export function cjkBigrams(text: string, keep?: (first: string, second: string) => boolean): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CJK_RUNS)) {
    const chars = Array.from(m[0]);
    for (let i = 0; i + 1 < chars.length; i++) {
      if (!keep || keep(chars[i], chars[i + 1])) out.push(chars[i] + chars[i + 1]);
    }
  }
  return out;
}

const MONTH_WORD = /^([〇零一二两三四五六七八九十]{1,3}|\d{1,2})月(?:份)?$/;
const WEEKDAY_WORD = /^(?:星期|周|礼拜)([一二三四五六日天])$/;

/** The canonical month/weekday term of a Chinese word (五月 → may, 周六 → saturday), if it is one. */
export function chineseCalendarTerm(word: string): string | undefined {
  const month = MONTH_WORD.exec(word);
  if (month) {
    const n = parseChineseNumber(month[1]);
    return n >= 1 && n <= 12 ? MONTH_TERMS[n - 1] : undefined;
  }
  const weekday = WEEKDAY_WORD.exec(word);
  if (weekday) return WEEKDAY_TERMS[CHINESE_WEEKDAY_SUFFIX[weekday[1]]];
  return undefined;
}
