import type { Memory } from '../core/types.js';
import { mentionsDate } from '../text/time.js';
import { eventMatch } from './event-times.js';
import type { FusedCandidate } from './fusion.js';
import { isInvitation } from './invitation.js';
import { inRanges, planQuery, type QueryPlan } from './query-plan.js';
import { softMatchScore, type WordVectors } from './soft-match.js';

/** Weights of the signals applied after fusion; each measured on `engram bench locomo` (docs/retrieval.md). */
export interface SignalConfig {
  /** How far a session's overall match lifts its turns (0 = off). */
  sessionWeight: number;
  /** How many of a session's best candidates make its score. */
  sessionTopN: number;
  /** Bonus for memories that state a date, when the query asks "when". */
  dateBonus: number;
  /** Bonus for memories inside a time range the query names ("last May"). */
  timeRangeBonus: number;
  /** Bonus for memories inside a vague range the query names ("recently": the last 30 days). */
  vagueTimeBonus: number;
  /**
   * Bonus for memories whose event time (what they say happened when: "yesterday", said on 5 May, is 4 May)
   * falls in a range the query names, times the share of the event inside the range (0 = off).
   */
  eventTimeBonus: number;
  /** Bonus for every memory of the conversation the query refers to ("last time we talked", 第一次聊天). */
  conversationBonus: number;
  /**
   * Share of a question turn's match passed on to the reply that follows it: "Which cuisines do you like?"
   * matches the words of a query about cuisines, but "Sichuan and Cantonese" is what answers it. An
   * invitation to tell ("You can talk to me about it.", invitation.ts) counts as a question (0 = off).
   */
  answerWeight: number;
  /** Share of its own match a turn that is only a question keeps (1 = no discount). */
  questionKeep: number;
  /** Bonus for memories said by a person the query names ("What did Melanie paint?"). */
  speakerBonus: number;
  /** Weight of soft term matching over word vectors (0 = off; needs word vectors). */
  softMatchWeight: number;
  /** Word similarity below which a near-miss counts for nothing. */
  softMatchFloor: number;
}

export const DEFAULT_SIGNALS: SignalConfig = {
  sessionWeight: 0.3,
  sessionTopN: 3,
  dateBonus: 0.3,
  timeRangeBonus: 0.5,
  vagueTimeBonus: 0.15,
  eventTimeBonus: 0.5,
  conversationBonus: 1,
  answerWeight: 1.2,
  questionKeep: 0.9,
  speakerBonus: 0.05,
  softMatchWeight: 0.3,
  softMatchFloor: 0.4,
};

export interface ScoredMemory {
  memory: Memory;
  score: number;
  signals: Record<string, unknown>;
}

export interface SignalContext {
  query: string;
  now: Date;
  config: SignalConfig;
  /** The query's time ranges and names, when the caller has worked them out already. */
  plan?: QueryPlan;
  /** Static word vectors for soft matching, when the embedder has them. */
  words?: WordVectors | null;
  /** Extra multiplicative factor per memory (decay, importance), 1 = neutral. */
  rankFactor?: (memory: Memory, now: Date) => number;
  /** The session the query refers to ("last time we talked"), found by the pipeline. */
  conversationSession?: string | null;
  /** Soft-match scores by memory id, worked out beforehand in paced slices (`softMatchScores`); absent =
   * computed here. */
  softScores?: ReadonlyMap<string, number>;
}

/**
 * Re-scores fused candidates with what the memories themselves tell: the session they belong to, whether they
 * carry a date, when they happened, and how alive they are. Scores start from the fused score divided by the
 * best one, so that the bonuses mean the same whatever the fusion method.
 */
export function applySignals(
  candidates: FusedCandidate[],
  memories: Map<string, Memory>,
  ctx: SignalContext,
): ScoredMemory[] {
  const { config } = ctx;
  const plan = ctx.plan ?? planQuery(ctx.query, ctx.now);
  const top = candidates[0]?.score ?? 0;
  if (top <= 0) return [];
  const scored: ScoredMemory[] = [];
  for (const c of candidates) {
    const memory = memories.get(c.id);
    if (!memory) continue;
    scored.push({ memory, score: c.score / top, signals: { ...c.signals, fused: c.score } });
  }

  if (config.sessionWeight > 0) {
    const bySession = new Map<string, number[]>();
    for (const s of scored) {
      if (s.memory.session === null) continue;
      const list = bySession.get(s.memory.session) ?? [];
      list.push(s.score);
      bySession.set(s.memory.session, list);
    }
    const sessionScore = new Map<string, number>();
    let best = 0;
    for (const [session, list] of bySession) {
      const sum = list
        .sort((a, b) => b - a)
        .slice(0, config.sessionTopN)
        .reduce((a, b) => a + b, 0);
      sessionScore.set(session, sum);
      best = Math.max(best, sum);
    }
    if (best > 0) {
      for (const s of scored) {
        if (s.memory.session === null) continue;
        const bonus = (config.sessionWeight * sessionScore.get(s.memory.session)!) / best;
        s.score += bonus;
        s.signals.session = bonus;
      }
    }
  }

  if (config.dateBonus > 0 && plan.asksWhen) {
    for (const s of scored) {
      if (mentionsDate(s.memory.text)) {
        s.score += config.dateBonus;
        s.signals.date = config.dateBonus;
      }
    }
  }

  if (plan.ranges.length > 0 || plan.vagueRanges.length > 0) {
    for (const s of scored) {
      const at = Date.parse(s.memory.occurredAt);
      // Said inside a named range: the said time is the evidence, whatever the text adds ("today" there is
      // the same day again). Said elsewhere: what it tells of may have happened inside (said on the 14th,
      // "last Sunday" is the 10th). A vague range only nudges.
      if (inRanges(plan.ranges, at)) {
        s.score += config.timeRangeBonus;
        s.signals.timeRange = config.timeRangeBonus;
        continue;
      }
      const event =
        config.eventTimeBonus > 0 && plan.ranges.length > 0 ? eventMatch(s.memory, plan.ranges) : null;
      if (event) {
        const bonus = config.eventTimeBonus * event.overlap;
        s.score += bonus;
        s.signals.eventTime = { bonus, text: event.text };
      } else if (inRanges(plan.vagueRanges, at)) {
        s.score += config.vagueTimeBonus;
        s.signals.timeRange = config.vagueTimeBonus;
      }
    }
  }

  if (ctx.conversationSession && config.conversationBonus > 0) {
    for (const s of scored) {
      if (s.memory.session === ctx.conversationSession) {
        s.score += config.conversationBonus;
        s.signals.conversation = config.conversationBonus;
      }
    }
  }

  if (config.speakerBonus > 0) {
    const names = plan.names;
    if (names.size > 0) {
      for (const s of scored) {
        const speaker = s.memory.speaker?.toLowerCase();
        if (speaker && (names.has(speaker) || speaker.split(/\s+/).some((w) => names.has(w)))) {
          s.score += config.speakerBonus;
          s.signals.speaker = config.speakerBonus;
        }
      }
    }
  }

  if (config.softMatchWeight > 0 && ctx.words) {
    const words = ctx.words;
    const queryRanks = ctx.softScores ? [] : words.ranks(ctx.query);
    for (const s of scored) {
      const soft =
        ctx.softScores?.get(s.memory.id) ??
        softMatchScore(words, queryRanks, words.ranks(s.memory.text), config.softMatchFloor);
      const bonus = config.softMatchWeight * soft;
      s.score += bonus;
      s.signals.softMatch = bonus;
    }
  }

  // Last of the bonuses: a question hands its place to its reply, which stays in the same session.
  if (config.answerWeight > 0 || config.questionKeep !== 1) passToAnswers(scored, config);

  if (ctx.rankFactor) {
    for (const s of scored) {
      const f = ctx.rankFactor(s.memory, ctx.now);
      if (f !== 1) {
        s.score *= f;
        s.signals.lifecycle = f;
      }
    }
  }
  return scored.sort((a, b) => b.score - a.score);
}

/** How far above its session's best turn a reply may rise: enough to win the tie, too little to matter. */
const SESSION_TIE_BREAK = 1e-6;
/** A reply counts as one when said within this time after the question (chat turns follow in seconds). */
const REPLY_WINDOW_MS = 30 * 60_000;
/** Ends with a question mark, or a Chinese question particle before the final punctuation. */
const QUESTION_END = /(?:[?？]|[吗呢么嘛][。.!！～~]*)\s*$/u;

/** Characters of a turn's end that the question test reads: a question ends a turn, and reading a 9,000-character
 * turn whole cost the event loop ~0.3 ms per candidate for nothing. */
const QUESTION_TAIL = 256;

export function isQuestion(text: string): boolean {
  return QUESTION_END.test(text.length > QUESTION_TAIL ? text.slice(-QUESTION_TAIL) : text);
}

/**
 * A question turn (or an invitation to tell) hands its place to the reply that follows it in the same
 * session (the next candidate by time, from another speaker, within REPLY_WINDOW_MS): the reply scores at
 * least `answerWeight` times the question, capped just above the best turn of its session, and the question
 * keeps `questionKeep` of its score. Sessions keep their order: the reply can lead its own session but never pass another one.
 */
function passToAnswers(scored: ScoredMemory[], config: SignalConfig): void {
  const matched = new Map(scored.map((s) => [s, s.score]));
  const bySession = new Map<string, ScoredMemory[]>();
  for (const s of scored) {
    if (s.memory.session === null || s.memory.kind !== 'turn') continue;
    const list = bySession.get(s.memory.session) ?? [];
    list.push(s);
    bySession.set(s.memory.session, list);
  }
  for (const list of bySession.values()) {
    list.sort((a, b) => (a.memory.occurredAt < b.memory.occurredAt ? -1 : 1));
    // A reply may rise to the top of its own session, just above its best turn, never past other sessions.
    const ceiling = Math.max(...list.map((s) => matched.get(s)!)) + SESSION_TIE_BREAK;
    for (let i = 0; i < list.length; i++) {
      const q = list[i]!;
      if (!isQuestion(q.memory.text) && !isInvitation(q.memory.text)) continue;
      const reply = list[i + 1];
      const who = (m: Memory) => m.speaker ?? m.role;
      if (
        reply &&
        who(reply.memory) !== who(q.memory) &&
        Date.parse(reply.memory.occurredAt) - Date.parse(q.memory.occurredAt) <= REPLY_WINDOW_MS
      ) {
        const floor = Math.min(config.answerWeight * matched.get(q)!, ceiling);
        if (floor > reply.score) {
          reply.signals.answers = floor - reply.score;
          reply.score = floor;
        }
      }
      if (config.questionKeep !== 1) {
        q.score = config.questionKeep * matched.get(q)!;
        q.signals.question = config.questionKeep;
      }
    }
  }
}
