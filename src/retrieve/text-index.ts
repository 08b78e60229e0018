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
    // One string, analysed once, exactly as the index was built before the policy moved out of the store.
    context: (m: IndexedMemory, neighbours: IndexedMemory[]) =>
      analyze([m.speaker ?? '', ...neighbours.map((n) => n.text)].join('\n')),
  };
}
