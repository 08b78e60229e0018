import { rmSync } from 'node:fs';
import type { EngramEngine } from '../../src/memory/engine.js';
import type { BuiltContext } from '../../src/memory/lifecycle/context.js';
import { buildContext } from '../../src/memory/lifecycle/context.js';
import { open } from '../../src/memory/open.js';
import type { Engram, SearchHit } from '../../src/memory/types.js';
import { testDb } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';

/**
 * A multi-session conversation played into a real database file, with the questions a story asks of it:
 * what search returns (current facts only, or the past too) and what buildContext puts into a prompt.
 */
export interface Story {
  db: Engram;
  /** One session: lines of [speaker, text], one minute apart from `at`. */
  session(id: string, at: string, lines: Array<[string, string]>): Promise<void>;
  search(
    query: string,
    options?: { includeSuperseded?: boolean; asOf?: string; now?: string },
  ): Promise<SearchHit[]>;
  context(query: string, options?: { now?: string; tokenBudget?: number }): Promise<BuiltContext>;
  close(): Promise<void>;
}

export const USER = 'alice';

export async function openStory(options: { embedder?: 'none' | 'glove'; now?: string } = {}): Promise<Story> {
  const dir = tempDir('engram-story-');
  const now = new Date(options.now ?? '2023-07-01T00:00:00Z');
  const db = (await open({
    path: testDb(dir, 'story.db'),
    embedder: options.embedder ?? 'none',
    now: () => now,
  })) as EngramEngine;
  return {
    db,
    async session(id, at, lines) {
      const start = Date.parse(at);
      await db.addConversation({
        user: USER,
        session: id,
        messages: lines.map(([speaker, text], i) => ({
          speaker,
          role: speaker === 'Assistant' ? 'assistant' : 'user',
          text,
          at: new Date(start + i * 60_000).toISOString(),
        })),
      });
    },
    search: (query, o = {}) => db.search(query, { user: USER, reinforce: false, ...o }),
    context: (query, o = {}) => buildContext(db.context(), { user: USER, query, reinforce: false, ...o }),
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first hit whose text matches: what a reader of the results learns first about the matter. */
export function firstStating(hits: SearchHit[], pattern: RegExp): SearchHit | undefined {
  return hits.find((h) => pattern.test(h.text));
}

/** Texts of hits, for messages. */
export function texts(hits: Array<{ text: string }>): string {
  return hits.map((h) => h.text).join(' | ');
}
