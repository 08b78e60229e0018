import { EngramError, ErrorCodes } from '../core/errors.js';

/** One LoCoMo turn, normalised. */
export interface LocomoTurn {
  dialogId: string;
  speaker: string;
  text: string;
  imageCaption?: string;
  imageUrl?: string;
  imageQuery?: string;
}

export interface LocomoSession {
  /** "session_3" → 3 */
  index: number;
  id: string;
  /** ISO 8601 (UTC) parsed from e.g. "1:56 pm on 8 May, 2023". */
  at: string;
  turns: LocomoTurn[];
}

export interface LocomoQuestion {
  question: string;
  answer: unknown;
  evidence: string[];
  category: number | null;
}

export interface LocomoConversation {
  sampleId: string;
  speakerA: string;
  speakerB: string;
  sessions: LocomoSession[];
  qa: LocomoQuestion[];
}

const MONTHS: Record<string, number> = {
  january: 0,
  february: 1,
  march: 2,
  april: 3,
  may: 4,
  june: 5,
  july: 6,
  august: 7,
  september: 8,
  october: 9,
  november: 10,
  december: 11,
};

/** Parses LoCoMo's "1:56 pm on 8 May, 2023" (and plain ISO strings) as UTC. */
export function parseLocomoDateTime(value: string): string {
  const m = /^\s*(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})\s*$/i.exec(value);
  if (m) {
    let hour = Number(m[1]) % 12;
    if (m[3]!.toLowerCase() === 'pm') hour += 12;
    const month = MONTHS[m[5]!.toLowerCase()];
    if (month !== undefined) {
      return new Date(Date.UTC(Number(m[6]), month, Number(m[4]), hour, Number(m[2]))).toISOString();
    }
  }
  const t = Date.parse(value);
  if (!Number.isNaN(t)) return new Date(t).toISOString();
  throw new EngramError(ErrorCodes.INVALID_DATE, `Unrecognised LoCoMo session date "${value}"`);
}

export function isLocomoConversation(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const conv = (v.conversation ?? v) as Record<string, unknown>;
  return typeof conv.speaker_a === 'string' && Array.isArray(conv.session_1);
}

/**
 * Accepts one per-conversation file (`conv-26.json`: the conversation's fields at top level, plus `qa`), an
 * object `{ sample_id, conversation, qa }`, or the combined `locomo10.json` list of those.
 */
export function parseLocomo(value: unknown, fallbackId = 'locomo'): LocomoConversation[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    if (!isLocomoConversation(item)) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `Item ${i} is not a LoCoMo conversation (expected speaker_a and session_1 fields)`,
      );
    }
    const obj = item as Record<string, unknown>;
    const conv = (obj.conversation ?? obj) as Record<string, unknown>;
    const sampleId =
      typeof obj.sample_id === 'string'
        ? obj.sample_id
        : items.length > 1
          ? `${fallbackId}-${i}`
          : fallbackId;
    const sessions: LocomoSession[] = [];
    for (const key of Object.keys(conv)) {
      const m = /^session_(\d+)$/.exec(key);
      if (!m || !Array.isArray(conv[key])) continue;
      const dt = conv[`${key}_date_time`];
      if (typeof dt !== 'string') {
        throw new EngramError(ErrorCodes.INVALID_INPUT, `LoCoMo ${sampleId}: ${key} has no ${key}_date_time`);
      }
      const turns = (conv[key] as Record<string, unknown>[]).map((t) => toTurn(t, sampleId, key));
      sessions.push({ index: Number(m[1]), id: key, at: parseLocomoDateTime(dt), turns });
    }
    sessions.sort((a, b) => a.index - b.index);
    const qa = Array.isArray(obj.qa) ? (obj.qa as Record<string, unknown>[]).map(toQuestion) : [];
    return {
      sampleId,
      speakerA: String(conv.speaker_a),
      speakerB: String(conv.speaker_b),
      sessions,
      qa,
    };
  });
}

function toTurn(t: Record<string, unknown>, sampleId: string, session: string): LocomoTurn {
  if (typeof t.text !== 'string' || typeof t.speaker !== 'string' || typeof t.dia_id !== 'string') {
    throw new EngramError(
      ErrorCodes.INVALID_INPUT,
      `LoCoMo ${sampleId} ${session}: a turn lacks speaker, dia_id or text`,
    );
  }
  const turn: LocomoTurn = { dialogId: t.dia_id, speaker: t.speaker, text: t.text };
  if (typeof t.blip_caption === 'string') turn.imageCaption = t.blip_caption;
  const url = Array.isArray(t.img_url) ? t.img_url[0] : t.img_url;
  if (typeof url === 'string') turn.imageUrl = url;
  if (typeof t.query === 'string') turn.imageQuery = t.query;
  return turn;
}

function toQuestion(q: Record<string, unknown>): LocomoQuestion {
  const evidence = Array.isArray(q.evidence) ? q.evidence.map(String) : [];
  return {
    question: String(q.question ?? ''),
    answer: q.answer ?? q.adversarial_answer ?? null,
    evidence,
    category: typeof q.category === 'number' ? q.category : null,
  };
}

/** The searchable text of a turn: its words, plus the caption of a shared image. */
export function locomoTurnText(turn: LocomoTurn): string {
  return turn.imageCaption ? `${turn.text} [shared an image: ${turn.imageCaption}]` : turn.text;
}
