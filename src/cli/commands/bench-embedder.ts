import type { Embedder } from '../../embed/types.js';

/**
 * The embedder a bench shares across its temporary stores: glove (default) and none are passed by name; any
 * other spec (transformers:, openai:) is built here, once.
 */
export async function loadEmbedderChoice(spec: string | undefined): Promise<'glove' | 'none' | Embedder> {
  if (spec === undefined || spec === 'glove' || spec === 'none') return spec ?? 'glove';
  const { createEmbedder, parseEmbedderSpec } = await import('../../embed/factory.js');
  return createEmbedder(parseEmbedderSpec(spec));
}
