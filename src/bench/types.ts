/**
 * The shapes every benchmark shares. A dataset becomes a list of corpora (one LoCoMo conversation, or one
 * LongMemEval question's haystack); each corpus is indexed by a retrieval system into a fresh index and its
 * questions are asked against it. Metrics only ever see ranked document ids, so Engram and its peers are
 * scored by the same code.
 */

/** One retrievable unit: a conversation turn. */
export interface CorpusDoc {
  /** Dialog id the evidence refers to ("D3:12"), unique within its corpus. */
  id: string;
  /** Session the turn belongs to ("session_3"); sessions are ranked by their best turn. */
  session: string;
  speaker: string | null;
  role: string | null;
  text: string;
  /** ISO 8601 time the turn was said. */
  at: string;
  metadata?: Record<string, unknown>;
}

export interface BenchQuestion {
  question: string;
  /** Category key used for the per-category breakdown ("1".."5" for LoCoMo, question_type for LongMemEval). */
  category: string | null;
  /** Doc ids that hold the answer; empty when only session-level evidence exists. */
  evidenceTurns: string[];
  /** Sessions that hold the answer. */
  evidenceSessions: string[];
  /** Reference time of the question (the conversation's last session, or LongMemEval's question_date). */
  now: string;
  /** Ask as of this time (memories valid then only): LongMemEval's question_date. */
  asOf?: string;
}

export interface BenchCorpus {
  id: string;
  /** The user every doc of this corpus belongs to. */
  user: string;
  docs: CorpusDoc[];
  questions: BenchQuestion[];
}

/** What loading a dataset reports besides the corpora. */
export interface DatasetStats {
  /** Questions in the files, including those without usable evidence. */
  questionsTotal: number;
  /** Questions skipped because no evidence id matched a turn (adversarial items often have none). */
  questionsWithoutEvidence: number;
  evidence: EvidenceStats;
}

export interface EvidenceStats {
  /** Evidence ids as annotated, after splitting joined lists. */
  total: number;
  /** Annotations that joined several ids in one string ("D8:6; D9:17"), split apart. */
  split: number;
  /** Ids rewritten into the canonical form ("D:11:26" → "D11:26", "D30:05" → "D30:5"). */
  repaired: number;
  /** Ids that match no turn of their conversation, dropped from scoring. */
  dropped: number;
  /** The dropped ids, for the report (at most a few dozen are kept). */
  droppedIds: string[];
}

export interface LoadedDataset {
  dataset: 'locomo' | 'longmemeval';
  corpora: BenchCorpus[];
  stats: DatasetStats;
}

/** One corpus indexed by one system. */
export interface RetrievalIndex {
  /** Doc ids, best first, at most `k`. */
  search(question: BenchQuestion, k: number): Promise<string[]>;
  /**
   * Dialog ids whose text, or a fact derived from them, is in the prompt context the system builds for the
   * question within `budget` tokens. Systems without a context builder leave it out.
   */
  context?(question: BenchQuestion, budget: number): Promise<Set<string>>;
  close(): Promise<void>;
}

/** Engram or a peer, seen only through what the benchmark needs. */
export interface RetrievalSystem {
  /** Short stable name used as a JSON key ("engram", "orama-bm25", "minisearch"). */
  readonly name: string;
  /** What a reader needs to reproduce the run (model ids, weights, options). */
  readonly config: Record<string, unknown>;
  index(corpus: BenchCorpus): Promise<RetrievalIndex>;
  close?(): Promise<void>;
}
