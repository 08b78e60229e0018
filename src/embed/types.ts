/** An embedder turns texts into unit-length vectors. One interface; glove, transformers and openai implement it. */
export interface EmbedOptions {
  /** Some models embed queries and documents differently (e5's "query: " / "passage: " prefixes). */
  kind?: 'query' | 'document';
}

export interface Embedder {
  /** Identifies model and preprocessing; vectors of different ids are never compared. */
  readonly id: string;
  readonly dimensions: number;
  /** Returns one L2-normalised Float32Array of length `dimensions` per text, in order. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
