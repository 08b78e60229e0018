/**
 * The LongMemEval format: a JSON list of questions, each with its own haystack of chat sessions. Every
 * question becomes one corpus (its haystack, under a user of its own), as in the original retrieval setup.
 * Turn evidence is the turns marked `has_answer`; session evidence is `answer_session_ids`. Abstention
 * questions (`_abs` ids) have no answer in the haystack and are skipped, as the official retrieval metrics do.
 */
import { EngramError, ErrorCodes } from '../core/errors.js';
import { emptyEvidenceStats } from './evidence.js';
import { readJson } from './locomo-dataset.js';
import type { BenchCorpus, CorpusDoc, LoadedDataset } from './types.js';

interface RawTurn {
  role: string;
  content: string;
  has_answer?: boolean;
}

/** "2023/05/20 (Sat) 02:21" (LongMemEval's form) or any ISO date → ISO 8601 UTC. */
export function parseLongMemEvalDate(value: string): string {
  const m = /^\s*(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s*\([A-Za-z]+\))?(?:\s+(\d{1,2}):(\d{2}))?\s*$/.exec(value);
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
    return new Date(t).toISOString();
  }
  const t = Date.parse(value);
  if (!Number.isNaN(t)) return new Date(t).toISOString();
  throw new EngramError(ErrorCodes.INVALID_DATE, `Unrecognised LongMemEval date "${value}"`);
}

/** Spacing between turns of one session, so that their order survives a sort by time. */
const TURN_SPACING_MS = 30_000;

export function longMemEvalCorpora(value: unknown, limit = Number.POSITIVE_INFINITY): LoadedDataset {
  if (!Array.isArray(value)) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, 'LongMemEval data must be a JSON list of questions');
  }
  const evidence = emptyEvidenceStats();
  const corpora: BenchCorpus[] = [];
  let questionsTotal = 0;
  let questionsWithoutEvidence = 0;
  for (const [i, item] of value.entries()) {
    if (corpora.length >= limit) break;
    const q = asRecord(item, `item ${i}`);
    const id = typeof q.question_id === 'string' ? q.question_id : `q${i}`;
    const sessions = list(q, 'haystack_sessions', id);
    const sessionIds = list(q, 'haystack_session_ids', id).map(String);
    const dates = list(q, 'haystack_dates', id).map(String);
    if (sessionIds.length !== sessions.length || dates.length !== sessions.length) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `LongMemEval ${id}: haystack_sessions, haystack_session_ids and haystack_dates differ in length`,
      );
    }
    questionsTotal++;
    const docs: CorpusDoc[] = [];
    const answerTurns: string[] = [];
    sessions.forEach((session, s) => {
      if (!Array.isArray(session)) {
        throw new EngramError(
          ErrorCodes.INVALID_INPUT,
          `LongMemEval ${id}: haystack session ${s} is not a list`,
        );
      }
      const sid = sessionIds[s]!;
      const start = Date.parse(parseLongMemEvalDate(dates[s]!));
      (session as unknown[]).forEach((rawTurn, t) => {
        const turn = asRecord(rawTurn, `${id} session ${sid} turn ${t}`) as unknown as RawTurn;
        if (typeof turn.content !== 'string' || typeof turn.role !== 'string') {
          throw new EngramError(
            ErrorCodes.INVALID_INPUT,
            `LongMemEval ${id} ${sid}: turn ${t} lacks role or content`,
          );
        }
        // Turn ids follow the official evaluation: session id, then the 1-based turn number.
        const docId = `${sid}_${t + 1}`;
        if (turn.has_answer === true) answerTurns.push(docId);
        if (turn.content.trim().length === 0) return;
        docs.push({
          id: docId,
          session: sid,
          speaker: turn.role,
          role: turn.role,
          text: turn.content,
          at: new Date(start + t * TURN_SPACING_MS).toISOString(),
          metadata: { dialogId: docId },
        });
      });
    });
    const known = new Set(sessionIds);
    const answerSessions = Array.isArray(q.answer_session_ids) ? q.answer_session_ids.map(String) : [];
    evidence.total += answerSessions.length;
    const evidenceSessions = answerSessions.filter((s) => known.has(s));
    const unknown = answerSessions.filter((s) => !known.has(s));
    evidence.dropped += unknown.length;
    for (const s of unknown) if (evidence.droppedIds.length < 50) evidence.droppedIds.push(`${id}:${s}`);
    if (id.endsWith('_abs') || evidenceSessions.length === 0) {
      questionsWithoutEvidence++;
      continue;
    }
    const questionDate = typeof q.question_date === 'string' ? parseLongMemEvalDate(q.question_date) : null;
    // ISO strings in UTC sort as times do.
    const lastDoc =
      docs
        .map((d) => d.at)
        .sort()
        .at(-1) ?? new Date(0).toISOString();
    corpora.push({
      id,
      user: id,
      docs,
      questions: [
        {
          question: String(q.question ?? ''),
          category: typeof q.question_type === 'string' ? q.question_type : null,
          evidenceTurns: answerTurns,
          evidenceSessions,
          now: questionDate ?? lastDoc,
          // The question is asked on its date: memory as it stood then.
          ...(questionDate ? { asOf: questionDate } : {}),
        },
      ],
    });
  }
  return { dataset: 'longmemeval', corpora, stats: { questionsTotal, questionsWithoutEvidence, evidence } };
}

export function loadLongMemEval(file: string, limit?: number): LoadedDataset {
  return longMemEvalCorpora(readJson(file), limit);
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new EngramError(ErrorCodes.INVALID_INPUT, `LongMemEval ${where} is not an object`);
  }
  return value as Record<string, unknown>;
}

function list(obj: Record<string, unknown>, name: string, id: string): unknown[] {
  const v = obj[name];
  if (!Array.isArray(v))
    throw new EngramError(ErrorCodes.INVALID_INPUT, `LongMemEval ${id}: "${name}" must be a list`);
  return v;
}
