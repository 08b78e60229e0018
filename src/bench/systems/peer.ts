/**
 * What a peer search library has to offer the benchmark: add documents, then answer a query with ranked
 * ids, optionally restricted to one user (the perf runner keeps many users in one index, as Engram does).
 */
import type { BenchCorpus, BenchQuestion, RetrievalIndex, RetrievalSystem } from '../types.js';

export interface PeerDoc {
  id: string;
  text: string;
  user: string;
}

export interface PeerIndex {
  add(docs: readonly PeerDoc[]): Promise<void>;
  search(query: string, k: number, user?: string): Promise<string[]>;
  /** For indexes that answer several modes (Orama with a vector property): search in the given one. */
  searchMode?(query: string, k: number, mode: 'bm25' | 'vector' | 'hybrid', user?: string): Promise<string[]>;
}

export interface PeerFactory {
  readonly name: string;
  readonly config: Record<string, unknown>;
  create(): Promise<PeerIndex>;
}

/** Runs a peer on benchmark corpora: one fresh in-memory index per corpus, like Engram's fresh store. */
export class PeerSystem implements RetrievalSystem {
  readonly name: string;
  readonly config: Record<string, unknown>;

  constructor(private readonly factory: PeerFactory) {
    this.name = factory.name;
    this.config = factory.config;
  }

  async index(corpus: BenchCorpus): Promise<RetrievalIndex> {
    const index = await this.factory.create();
    await index.add(corpus.docs.map((d) => ({ id: d.id, text: d.text, user: corpus.user })));
    return {
      search: (question: BenchQuestion, k: number) => index.search(question.question, k),
      close: async () => {},
    };
  }
}
