/**
 * Analysed terms of recently written texts. The store analyses inside its write transaction, which cannot
 * yield; the engine first analyses the texts it is about to write with `prewarm` (slice by slice, yielding
 * between slices) so that the transaction only looks them up. Bounded by the characters of the texts held.
 */
import { analyze, analyzeAsync } from './analyzer.js';

const DEFAULT_MAX_CHARS = 8_000_000;

export class AnalysisCache {
  private readonly entries = new Map<string, string[]>();
  private chars = 0;

  constructor(private readonly maxChars = DEFAULT_MAX_CHARS) {}

  /** `analyze(text)`, from the cache when it holds the text. */
  readonly analyze = (text: string): string[] => {
    const hit = this.entries.get(text);
    if (hit) {
      // Most recently used last, so eviction drops the oldest.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const terms = analyze(text);
    this.put(text, terms);
    return terms;
  };

  /** Analyses the texts not held yet, yielding to the event loop between slices. */
  async prewarm(texts: Iterable<string>): Promise<void> {
    for (const text of texts) {
      if (this.entries.has(text)) continue;
      this.put(text, await analyzeAsync(text));
    }
  }

  private put(text: string, terms: string[]): void {
    if (text.length > this.maxChars) return;
    if (this.entries.delete(text)) this.chars -= text.length;
    this.entries.set(text, terms);
    this.chars += text.length;
    for (const [old] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(old);
      this.chars -= old.length;
    }
  }
}
