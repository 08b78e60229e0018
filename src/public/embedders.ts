/**
 * `engram-memory/embedders`: build an embedder to pass to `open({ embedder })`. Transformers.js (and
 * onnxruntime) load only when a Transformers embedder is created; it is an optional peer dependency.
 */
export type {
  EmbedderConfig,
  GloveEmbedderConfig,
  OpenAIEmbedderConfig,
  TransformersEmbedderConfig,
} from '../embed/factory.js';
export { createEmbedder, parseEmbedderSpec } from '../embed/factory.js';
export {
  createGloveEmbedder,
  GLOVE_EMBEDDER_ID,
  type GloveEmbedderOptions,
  prepareGloveCache,
} from '../embed/glove.js';
export { createOpenAIEmbedder, type OpenAIEmbedderOptions } from '../embed/openai.js';
export { createTransformersEmbedder, type TransformersEmbedderOptions } from '../embed/transformers.js';
export type { Embedder, EmbedOptions } from '../embed/types.js';
