import type { IndexedMemory, TextIndexer } from '../store/types.js';

/**
 * What the lexical index holds for a memory, the same on every backend. A turn's context is its speaker's
 * name and the text of the turns around it: an answer often lives in the reply to a question, and questions
 * name who said it. Its weight against the own text is `RetrievalConfig.contextWeight` (src/retrieve/hybrid.ts).
 */
export function createTextIndexer(analyze: (text: string) => string[], version: string): TextIndexer {
  return {
    version,
    own: (m: IndexedMemory) => analyze(m.text),
    // Each part analysed on its own: a write analyses its texts before its transaction (AnalysisCache.prewarm),
    // so inside it these are cache lookups instead of a new analysis of up to three long texts joined.
    context: (m: IndexedMemory, neighbours: IndexedMemory[]) =>
      [m.speaker ?? '', ...neighbours.map((n) => n.text)].flatMap((part) => analyze(part)),
  };
}
