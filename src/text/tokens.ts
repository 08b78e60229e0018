/**
 * Token counting for prompt budgets, with the real BPE tokenizer of current OpenAI models: `o200k_base`
 * (GPT-4o, GPT-4.1, GPT-5, o-series) from the `gpt-tokenizer` package. Other model families count
 * differently (Llama, Qwen), but o200k is a close, well-defined stand-in for budgeting a context block.
 *
 * The encoding's rank table takes a few hundred milliseconds to load, so it is loaded on the first call,
 * synchronously through the package's CommonJS build, rather than when this module is imported.
 */
import { createRequire } from 'node:module';
import { EngramError, ErrorCodes } from '../core/errors.js';

/** Name of the BPE encoding every count in Engram uses. */
export const TOKEN_ENCODING = 'o200k_base';

interface EncodeOptions {
  disallowedSpecial?: Set<string>;
}

interface Encoding {
  encode(text: string, options?: EncodeOptions): number[];
  decode(tokens: Iterable<number>): string;
  countTokens(text: string, options?: EncodeOptions): number;
}

let encoding: Encoding | undefined;

function loadEncoding(): Encoding {
  if (!encoding) {
    const require = createRequire(import.meta.url);
    encoding = require('gpt-tokenizer/cjs/encoding/o200k_base') as Encoding;
  }
  return encoding;
}

/**
 * Memory text is data: "<|endoftext|>" written by a user is counted as the characters it is, never as a
 * special token (the library would otherwise throw on it).
 */
const AS_PLAIN_TEXT: EncodeOptions = { disallowedSpecial: new Set() };

/** Number of o200k_base tokens in `text`. */
export function countTokens(text: string): number {
  if (!text) return 0;
  return loadEncoding().countTokens(text, AS_PLAIN_TEXT);
}

function fits(text: string, end: number, maxTokens: number): boolean {
  return loadEncoding().countTokens(text.slice(0, end), AS_PLAIN_TEXT) <= maxTokens;
}

/** Moves a cut back by one unit if it would split a surrogate pair (an emoji, a rare CJK character). */
function charBoundary(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return end > 0 && end < text.length && code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/**
 * The longest prefix of `text` that is at most `maxTokens` tokens. Found by binary search over character
 * positions with `countTokens` rather than by decoding a cut token list: gpt-tokenizer's `decode` shares
 * one streaming TextDecoder between calls, so decoding a list that ends inside a multi-byte character
 * corrupts the output of the next `decode` anywhere in the process.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (!Number.isInteger(maxTokens) || maxTokens < 0) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `maxTokens must be a non-negative integer, got ${String(maxTokens)}`,
    );
  }
  if (!text || maxTokens === 0) return '';
  const total = countTokens(text);
  if (total <= maxTokens) return text;
  // Bracket the cut near its proportional estimate so long texts need few full encodings.
  let lo = 0;
  let hi = Math.min(text.length, Math.ceil((text.length * maxTokens * 1.5) / total) + 16);
  if (fits(text, hi, maxTokens)) {
    lo = hi;
    hi = text.length;
  }
  // Invariant: the prefix of length lo fits, the prefix of length hi does not.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fits(text, mid, maxTokens)) lo = mid;
    else hi = mid;
  }
  return text.slice(0, charBoundary(text, lo));
}
