import { extractNames } from '../text/names.js';
import { isWhenQuestion, parseTimeExpressions } from '../text/time.js';

/** A time range a query names ("last week", "in May 2023", 昨天), as epoch milliseconds [start, end). */
export interface QueryTimeRange {
  text: string;
  start: number;
  end: number;
}

/** What retrieval reads from a query besides its terms, worked out once per search. */
export interface QueryPlan {
  query: string;
  now: Date;
  /** Time ranges named by the query, relative to `now`; overlapping ones merged. */
  ranges: QueryTimeRange[];
  /**
   * Vague ones ("recently", "these days", 最近): the parser gives them the last 30 days, but people stretch
   * them, so they only nudge and never restrict the candidates.
   */
  vagueRanges: QueryTimeRange[];
  /** The query asks for a time ("When did …", 什么时候). */
  asksWhen: boolean;
  /** Proper names in the query, lower case ("caroline"). */
  names: Set<string>;
  /**
   * The query refers to the conversation itself: the first one ("the first time we talked", 第一次聊天),
   * the latest before now ("last time we talked", 上次聊), or the one of a named day ("what did we talk
   * about on 3 May?", 我们3月12号聊了什么): that session is ranked as a whole.
   */
  conversation: ConversationReference | null;
  /** The words of the query that make the reference, when there is one. */
  conversationWords: string | null;
}

export type ConversationReference = 'first' | 'last' | 'day';

const FIRST_CONVERSATION = new RegExp(
  [
    '\\b(?:the\\s+)?first\\s+time\\s+(?:we|i|you)\\s+(?:ever\\s+)?(?:talked|spoke|chatted|met)\\b',
    '\\bour\\s+(?:very\\s+)?first\\s+(?:conversation|chat|talk)\\b',
    '第一次(?:和你|跟你|与你|同你|我们|咱们)?(?:对话|聊天|聊|谈话|交流|见面|说话)',
    '(?:最早|最开始|一开始)(?:的)?(?:那次)?(?:对话|聊天)',
  ].join('|'),
  'i',
);
const LAST_CONVERSATION = new RegExp(
  [
    '\\b(?:the\\s+)?last\\s+time\\s+(?:we|i|you)\\s+(?:talked|spoke|chatted)\\b',
    '\\b(?:our|the)\\s+(?:last|previous)\\s+(?:conversation|chat|talk)\\b',
    '\\blast\\s+time,?\\s+you\\s+(?:said|told|mentioned|recommended|suggested)\\b',
    '(?:上次|上一次|上回)(?:我们|咱们|你|我)?(?:和你|跟你)?(?:聊|谈|对话|说|讲|告诉|推荐|提到|建议)',
  ].join('|'),
  'i',
);
const TALKED_ABOUT = new RegExp(
  [
    '\\bwhat\\s+did\\s+(?:we|i|you)\\s+(?:talk|chat|speak)\\s+about\\b',
    '\\bwhat\\s+(?:was|were)\\s+(?:we|our\\s+(?:conversation|chat))\\s+(?:talking\\s+)?about\\b',
    '(?:我们|咱们|你我|我和你|我跟你)?[^，。？?]{0,12}(?:聊|谈|说)了(?:些)?(?:什么|啥)',
    '那天(?:我们|咱们)?(?:都)?(?:聊|谈|说)',
  ].join('|'),
  'i',
);

/** Which conversation a query refers to, if any (the day form needs a date in the query too). */
export function conversationReference(query: string, hasDate: boolean): ConversationReference | null {
  return findConversationReference(query, hasDate)?.kind ?? null;
}

/** The reference and the words that make it ("the first time we talked"), which say nothing of content. */
export function findConversationReference(
  query: string,
  hasDate: boolean,
): { kind: ConversationReference; words: string } | null {
  const first = FIRST_CONVERSATION.exec(query);
  if (first) return { kind: 'first', words: first[0] };
  const last = LAST_CONVERSATION.exec(query);
  if (last) return { kind: 'last', words: last[0] };
  const day = hasDate ? TALKED_ABOUT.exec(query) : null;
  return day ? { kind: 'day', words: day[0] } : null;
}

/**
 * The query without the words that point at the conversation ("我们第一次聊天的时候你给我推荐了什么书" →
 * "的时候你给我推荐了什么书"): they would match the greeting of every session, not what was said in it.
 */
export function contentQuery(plan: QueryPlan): string {
  if (!plan.conversationWords) return plan.query;
  const rest = plan.query.replace(plan.conversationWords, ' ').trim();
  return /[\p{L}\p{N}]/u.test(rest) ? rest : plan.query;
}

/** At most this many ranges are searched; a query naming more is a list of dates, not a time filter. */
const MAX_RANGES = 3;

const VAGUE =
  /^(?:recently|lately|recent|these days|nowadays|not long ago|最近|近来|近期|近日|这段时间|这阵子)$/i;
/** "A few days ago", "several weeks ago", 前几天: a count nobody meant exactly, so a nudge, not a filter. */
const VAGUE_COUNT = /\b(?:a few|few|several|a couple of|couple of|some)\b|几|些/i;

function isVague(text: string): boolean {
  const t = text.trim();
  return VAGUE.test(t) || VAGUE_COUNT.test(t);
}

export function planQuery(query: string, now: Date): QueryPlan {
  const expressions = parseTimeExpressions(query, now).map((e) => ({
    text: e.text,
    start: e.start.getTime(),
    end: e.end.getTime(),
  }));
  const ranges = mergeRanges(expressions.filter((e) => !isVague(e.text))).slice(0, MAX_RANGES);
  const reference = findConversationReference(query, ranges.length > 0);
  return {
    query,
    now,
    ranges,
    vagueRanges: mergeRanges(expressions.filter((e) => isVague(e.text))),
    asksWhen: isWhenQuestion(query),
    names: new Set(extractNames(query).map((n) => n.toLowerCase())),
    conversation: reference?.kind ?? null,
    conversationWords: reference?.words ?? null,
  };
}

/** Sorted by start; ranges that overlap or touch become one. */
export function mergeRanges(ranges: QueryTimeRange[]): QueryTimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: QueryTimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) {
      last.end = Math.max(last.end, r.end);
      last.text = `${last.text}; ${r.text}`;
    } else out.push({ ...r });
  }
  return out;
}

export function inRanges(ranges: readonly QueryTimeRange[], at: number): boolean {
  return ranges.some((r) => at >= r.start && at < r.end);
}
