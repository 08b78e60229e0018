/** `engram-memory/reranker`: a cross-encoder reranker for `open({ reranker })` (Transformers.js, optional peer). */
export { type CrossEncoderOptions, createCrossEncoderReranker } from '../rerank/cross-encoder.js';
export {
  type CrossEncoderConfig,
  createReranker,
  parseRerankerSpec,
  type RerankerConfig,
} from '../rerank/factory.js';
export type { Reranker } from '../rerank/types.js';
