/** What fact extraction works on and what it produces, whichever extractor (rules or LLM) runs. */
import type { DateGranularity } from './statement-dates.js';

export type FactLanguage = 'en' | 'zh';

/** One turn as extraction sees it. */
export interface ExtractionTurn {
  /** Stored memory id of the turn, when it has one. */
  id?: string;
  text: string;
  /** Who said it: a display name, or null when only a role is known. */
  speaker: string | null;
  role: string | null;
  /** When it was said (relative times resolve against it). */
  at: Date;
}

export interface ExtractedFact {
  /**
   * Whom the fact is about: the speaker's name (or "user" when the speaker is the app's user and has no
   * name), or a named person ("Emma"). Conflicts are detected per subject and attribute.
   */
  subject: string;
  /** Canonical attribute ("lives_in", "favourite_food", "opinion:sushi", "schedule:yoga class" …). */
  attribute: string;
  /** The value, in the words said ("Berlin", 青霉素, "Tuesday"). */
  value: string;
  /** A standalone statement in the language it was said, third person, dates absolute. */
  text: string;
  language: FactLanguage;
  /** Index of the source turn in the extraction input. */
  turn: number;
  /** The date the fact is about, if the statement gave one (YYYY-MM-DD, start of the month/week/year). */
  eventDate?: string;
  dateGranularity?: DateGranularity;
  /** 0..1 when the extractor judged it (the LLM); otherwise the attribute table's value is used. */
  importance?: number;
  /**
   * A correction ("actually it's Tuesday, not Monday"): `value` replaces `from` in the subject's most recent
   * fact mentioning `from` (or, without `from`, the most recent fact whose value has the same shape).
   */
  correction?: { from: string | null };
  /** Which extractor produced it ("rules", "llm:<model>"). */
  extractor?: string;
}

/** A fact extractor: the rules (always available) or an LLM. */
export interface FactExtractor {
  readonly id: string;
  extract(turns: ExtractionTurn[]): Promise<ExtractedFact[]>;
}

/** The subject key of a speaker: the display name, else "user" for the app's user, else the role. */
export function speakerSubject(turn: Pick<ExtractionTurn, 'speaker' | 'role'>): string {
  return turn.speaker?.trim() || (turn.role && turn.role !== 'user' ? turn.role : 'user');
}
