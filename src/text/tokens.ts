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

const REPLACEMENT_CHAR = /\uFFFD+$/;

/**
 * The longest prefix of `text` that is at most `maxTokens` tokens, cut at a token boundary; a character
 * split across tokens (an emoji, a rare CJK character) is dropped rather than left half-decoded.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (!Number.isInteger(maxTokens) || maxTokens < 0) {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `maxTokens must be a non-negative integer, got ${String(maxTokens)}`,
    );
  }
  if (!text || maxTokens === 0) return '';
  const enc = loadEncoding();
  const tokens = enc.encode(text, AS_PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  let keep = maxTokens;
  let prefix = enc.decode(tokens.slice(0, keep)).replace(REPLACEMENT_CHAR, '');
  // Re-encoding a cut prefix can merge differently; shrink until the result itself fits.
  while (keep > 0 && enc.countTokens(prefix, AS_PLAIN_TEXT) > maxTokens) {
    keep--;
    prefix = enc.decode(tokens.slice(0, keep)).replace(REPLACEMENT_CHAR, '');
  }
  if (text.startsWith(prefix)) return prefix;
  // Decoding can normalise ill-formed input (a lone surrogate): keep only what matches the original.
  let same = 0;
  while (same < prefix.length && prefix[same] === text[same]) same++;
  return text.slice(0, same);
}
