import { extractEnglish, type Subject } from './rules-en.js';
import { extractChinese } from './rules-zh.js';
import {
  type ExtractedFact,
  type ExtractionTurn,
  type FactExtractor,
  type FactLanguage,
  speakerSubject,
} from './types.js';

/** Offline, deterministic fact extraction: English and Chinese rules, sentence by sentence. */

const HAN = /\p{Script=Han}/gu;
const LETTER = /\p{L}/gu;

/** A sentence is Chinese when at least a third of its letters are Han characters. */
export function detectLanguage(text: string): FactLanguage {
  const han = text.match(HAN)?.length ?? 0;
  const letters = text.match(LETTER)?.length ?? 0;
  return han > 0 && han * 3 >= letters ? 'zh' : 'en';
}

/** Splits a turn into sentences, keeping their closing punctuation. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re = /[^.!?。！？\n]+(?:[.!?。！？]+|\n|$)/g;
  for (const m of text.matchAll(re)) {
    const s = m[0].trim();
    if (s) out.push(s);
  }
  // Re-join splits after abbreviations and initials ("Dr. Smith", "St. Louis", "J. K.").
  const merged: string[] = [];
  for (const s of out) {
    const prev = merged[merged.length - 1];
    if (prev && /(?:\b(?:Dr|Mr|Mrs|Ms|St|Prof|Jr|Sr|vs|etc|e\.g|i\.e)\.|\b[A-Z]\.)$/.test(prev))
      merged[merged.length - 1] = `${prev} ${s}`;
    else merged.push(s);
  }
  return merged;
}

function display(subject: string, language: FactLanguage): string {
  if (subject === 'user') return language === 'zh' ? '用户' : 'The user';
  return subject;
}

export function extractFromTurn(turn: ExtractionTurn, index: number): ExtractedFact[] {
  const key = speakerSubject(turn);
  const facts: ExtractedFact[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(turn.text)) {
    const language = detectLanguage(sentence);
    const speaker: Subject = { key, display: display(key, language) };
    const drafts =
      language === 'zh'
        ? extractChinese(sentence, speaker, turn.at)
        : extractEnglish(sentence, speaker, turn.at);
    for (const d of drafts) {
      const id = `${d.subject}\u0000${d.attribute}\u0000${d.value.toLowerCase()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      // "The user's …" reads oddly mid-sentence; keep it at the start only.
      const text = d.text.replace(/(?<=.)The user/g, 'the user');
      facts.push({ ...d, text, language, turn: index, extractor: 'rules' });
    }
  }
  return facts;
}

export function createRuleExtractor(): FactExtractor {
  return {
    id: 'rules',
    async extract(turns) {
      // A turn at a time with a turn of the event loop between them: a conversation may carry 100 long turns.
      const facts: ExtractedFact[] = [];
      for (let i = 0; i < turns.length; i++) {
        if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        for (const f of extractFromTurn(turns[i]!, i)) facts.push(f);
      }
      return facts;
    },
  };
}
