/**
 * Turns LoCoMo files into benchmark corpora: one corpus (and one user) per conversation, one doc per turn,
 * and every question whose evidence names at least one real turn.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { type LocomoConversation, locomoTurnText, parseLocomo } from '../ingest/locomo.js';
import { addEvidenceStats, canonicalDialogId, emptyEvidenceStats, normaliseEvidence } from './evidence.js';
import type { BenchCorpus, BenchQuestion, CorpusDoc, LoadedDataset } from './types.js';

/** Common mapping of LoCoMo's numeric categories. */
export const LOCOMO_CATEGORIES: Record<string, string> = {
  '1': 'multi-hop',
  '2': 'temporal',
  '3': 'open-domain',
  '4': 'single-hop',
  '5': 'adversarial',
};

/** Turns of a session are spaced this far apart so that their order survives a sort by time. */
const TURN_SPACING_MS = 30_000;

/** Reads a folder of per-conversation files, or one file (a single conversation or the combined list). */
export function readLocomo(path: string): LocomoConversation[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new EngramError(
      ErrorCodes.NOT_FOUND,
      `LoCoMo data not found at ${path}: pass a folder or a .json file`,
    );
  }
  const files = stat.isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new EngramError(ErrorCodes.NOT_FOUND, `No .json files in ${path}`);
  return files.flatMap((file) => parseLocomo(readJson(file), basename(file, '.json')));
}

export function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EngramError(ErrorCodes.INVALID_JSON, `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function locomoCorpora(conversations: readonly LocomoConversation[]): LoadedDataset {
  const evidence = emptyEvidenceStats();
  let questionsTotal = 0;
  let questionsWithoutEvidence = 0;
  const corpora: BenchCorpus[] = [];
  for (const conv of conversations) {
    const docs = conversationDocs(conv);
    const sessionOf = new Map(docs.map((d) => [d.id, d.session]));
    const lastSession = conv.sessions[conv.sessions.length - 1];
    const now = lastSession ? lastSession.at : new Date(0).toISOString();
    const stats = emptyEvidenceStats();
    const questions: BenchQuestion[] = [];
    for (const qa of conv.qa) {
      questionsTotal++;
      const turns = normaliseEvidence(qa.evidence, new Set(sessionOf.keys()), stats, conv.sampleId);
      if (turns.length === 0) {
        questionsWithoutEvidence++;
        continue;
      }
      const sessions = [...new Set(turns.map((t) => sessionOf.get(t)!))];
      questions.push({
        question: qa.question,
        category: qa.category === null ? null : String(qa.category),
        evidenceTurns: turns,
        evidenceSessions: sessions,
        now,
      });
    }
    addEvidenceStats(evidence, stats);
    corpora.push({ id: conv.sampleId, user: conv.sampleId, docs, questions });
  }
  return { dataset: 'locomo', corpora, stats: { questionsTotal, questionsWithoutEvidence, evidence } };
}

/** One doc per turn; a dialog id seen twice keeps its first turn, since evidence cannot tell them apart. */
function conversationDocs(conv: LocomoConversation): CorpusDoc[] {
  const docs: CorpusDoc[] = [];
  const seen = new Set<string>();
  for (const session of conv.sessions) {
    const start = Date.parse(session.at);
    session.turns.forEach((turn, i) => {
      // Evidence is compared in canonical form, so the turn ids must be canonical too.
      const id = canonicalDialogId(turn.dialogId) ?? turn.dialogId;
      if (seen.has(id)) return;
      seen.add(id);
      const metadata: Record<string, unknown> = { dialogId: id };
      if (turn.imageCaption) metadata.imageCaption = turn.imageCaption;
      docs.push({
        id,
        session: session.id,
        speaker: turn.speaker,
        role: null,
        text: locomoTurnText(turn),
        at: new Date(start + i * TURN_SPACING_MS).toISOString(),
        metadata,
      });
    });
  }
  return docs;
}

export function loadLocomo(path: string): LoadedDataset {
  return locomoCorpora(readLocomo(path));
}
