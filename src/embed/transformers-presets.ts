import type { Pooling } from './pooling.js';

/** How a known sentence-embedding model must be used: its pooling, normalisation and instruction prefixes. */
export interface ModelPreset {
  pooling: Pooling;
  normalize: boolean;
  queryPrefix?: string;
  documentPrefix?: string;
}

const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';

/**
 * Matched against the model's last path segment (`Xenova/bge-small-en-v1.5` → `bge-small-en-v1.5`), case
 * insensitive, first match wins. Sources: each model's card (sentence-transformers pooling config).
 */
const PRESETS: [RegExp, ModelPreset][] = [
  // all-MiniLM-L6-v2, all-MiniLM-L12-v2, all-mpnet-base-v2, paraphrase-*: mean pooling, normalised.
  [/^(all|paraphrase|multi-qa)-/, { pooling: 'mean', normalize: true }],
  // bge-small-en-v1.5 and its siblings: CLS pooling; queries carry an instruction, passages nothing.
  [/^bge-(small|base|large)-(en|zh)/, { pooling: 'cls', normalize: true, queryPrefix: BGE_QUERY }],
  // e5 and multilingual-e5: mean pooling with "query: " / "passage: " on every input.
  [
    /^(multilingual-)?e5-/,
    { pooling: 'mean', normalize: true, queryPrefix: 'query: ', documentPrefix: 'passage: ' },
  ],
];

const DEFAULT_PRESET: ModelPreset = { pooling: 'mean', normalize: true };

export function modelShortName(model: string): string {
  const parts = model.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? model;
}

/** The preset for a model name or path; unknown models get mean pooling with normalisation. */
export function presetFor(model: string): ModelPreset {
  const name = modelShortName(model).toLowerCase();
  return PRESETS.find(([pattern]) => pattern.test(name))?.[1] ?? DEFAULT_PRESET;
}
