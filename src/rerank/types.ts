/** A reranker scores (query, passage) pairs jointly; higher is more relevant. */
export interface Reranker {
  readonly id: string;
  /** One score per passage, in order. */
  score(query: string, passages: string[]): Promise<number[]>;
  close?(): Promise<void>;
}
