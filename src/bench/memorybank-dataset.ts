/**
 * Turns MemoryBank probing data (the `cn/` and `en/` folders described by the data's README) into benchmark
 * corpora: one corpus per user and language, one session per day, two docs per query/response pair (the
 * user's message and the companion's reply), and the probing questions with their evidence pairs.
 *
 * Doc ids are `DATE#i/q` and `DATE#i/r`; the pair id `DATE#i` is the part before the slash, so a ranking of
 * docs becomes a ranking of pairs by first appearance (`pairOf`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { readJson } from './locomo-dataset.js';
import type { BenchCorpus, BenchQuestion, CorpusDoc } from './types.js';

export interface MemoryBankCorpus extends BenchCorpus {
  language: string;
}

export interface MemoryBankDataset {
  dataset: 'memorybank';
  /** Languages found, in folder order ("cn", "en"). */
  languages: string[];
  corpora: MemoryBankCorpus[];
  /** Questions in the files, including those without evidence (not scored). */
  questionsTotal: number;
  questionsWithoutEvidence: number;
}

interface RawPair {
  query?: unknown;
  response?: unknown;
}

interface RawUser {
  name?: unknown;
  history?: Record<string, RawPair[]>;
}

interface RawEvidence {
  question?: unknown;
  evidence?: unknown;
}

/** Pairs of a day are spaced this far apart, the reply a little after its message, so order survives. */
const PAIR_SPACING_MS = 120_000;
const REPLY_DELAY_MS = 30_000;
/** Hour (UTC) at which a day's conversation starts; any fixed hour keeps every turn inside its day. */
const DAY_START_HOUR = 12;

/** The pair a doc id belongs to (`2023-04-27#3/r` → `2023-04-27#3`). */
export function pairOf(docId: string): string {
  const slash = docId.lastIndexOf('/');
  return slash < 0 ? docId : docId.slice(0, slash);
}

/** Reads every language folder of DIR (`cn/`, `en/`), or DIR itself when it holds one language's files. */
export function loadMemoryBank(dir: string, only?: string): MemoryBankDataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EngramError(ErrorCodes.NOT_FOUND, `MemoryBank data not found at ${dir}: pass its folder`);
  }
  const folders = languageFolders(dir).filter((f) => only === undefined || f.language === only);
  if (folders.length === 0) {
    throw new EngramError(
      ErrorCodes.NOT_FOUND,
      only === undefined
        ? `No memory_bank_*.json in ${dir} or its sub-folders`
        : `No ${only} files in ${dir} (languages found: ${languageFolders(dir)
            .map((f) => f.language)
            .join(', ')})`,
    );
  }
  const out: MemoryBankDataset = {
    dataset: 'memorybank',
    languages: [],
    corpora: [],
    questionsTotal: 0,
    questionsWithoutEvidence: 0,
  };
  for (const { language, path } of folders) {
    out.languages.push(language);
    const history = readJson(join(path, `memory_bank_${language}.json`)) as Record<string, RawUser>;
    const evidence = readJson(join(path, `evidence_${language}.json`)) as Record<string, RawEvidence[]>;
    const byName = new Map(Object.entries(evidence).map(([name, qs]) => [name.trim(), qs]));
    for (const [key, user] of Object.entries(history)) {
      const name = key.trim();
      const docs = userDocs(name, user);
      if (docs.length === 0) continue;
      // Days are read in date order, so the last doc is of the last day.
      const lastDay = docs.at(-1)!.session;
      const now = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString();
      const questions: BenchQuestion[] = [];
      for (const q of byName.get(name) ?? []) {
        out.questionsTotal++;
        const pairs = Array.isArray(q.evidence) ? q.evidence.filter((e) => typeof e === 'string') : [];
        if (typeof q.question !== 'string' || pairs.length === 0) {
          out.questionsWithoutEvidence++;
          continue;
        }
        questions.push({
          question: q.question,
          category: language,
          evidenceTurns: pairs,
          evidenceSessions: [...new Set(pairs.map((p) => p.split('#')[0]!))],
          now,
        });
      }
      out.corpora.push({ id: `${language}:${name}`, user: name, language, docs, questions });
    }
  }
  return out;
}

function languageFolders(dir: string): { language: string; path: string }[] {
  const own = filesLanguage(dir);
  if (own) return [{ language: own, path: dir }];
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((p) => statSync(p).isDirectory())
    .map((p) => ({ language: filesLanguage(p), path: p }))
    .filter((f): f is { language: string; path: string } => f.language !== null);
}

/** The language suffix of the folder's `memory_bank_<lang>.json`, when it has one with its evidence file. */
function filesLanguage(dir: string): string | null {
  for (const file of readdirSync(dir).sort()) {
    const m = /^memory_bank_(\w+)\.json$/.exec(basename(file));
    if (m && existsSync(join(dir, `evidence_${m[1]}.json`))) return m[1]!;
  }
  return null;
}

function userDocs(name: string, user: RawUser): CorpusDoc[] {
  const docs: CorpusDoc[] = [];
  for (const [day, pairs] of Object.entries(user.history ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const start = Date.parse(`${day}T${String(DAY_START_HOUR).padStart(2, '0')}:00:00Z`);
    if (Number.isNaN(start) || !Array.isArray(pairs)) continue;
    pairs.forEach((pair, i) => {
      const at = start + i * PAIR_SPACING_MS;
      const id = `${day}#${i}`;
      if (typeof pair.query === 'string' && pair.query.trim()) {
        docs.push(doc(`${id}/q`, day, name, 'user', pair.query, at));
      }
      if (typeof pair.response === 'string' && pair.response.trim()) {
        docs.push(doc(`${id}/r`, day, 'AI', 'assistant', pair.response, at + REPLY_DELAY_MS));
      }
    });
  }
  return docs;
}

function doc(id: string, day: string, speaker: string, role: string, text: string, at: number): CorpusDoc {
  return {
    id,
    session: day,
    speaker,
    role,
    text,
    at: new Date(at).toISOString(),
    metadata: { dialogId: id },
  };
}
