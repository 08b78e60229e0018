import { rmSync } from 'node:fs';
import { open } from '../../src/memory/open.js';
import type { Engram } from '../../src/memory/types.js';
import { testDb } from './backend.js';

export type Turn = [session: string, speaker: string, text: string];
type Retrieval = NonNullable<Parameters<typeof open>[0]>['retrieval'];

/**
 * Two engines holding the same conversation turns of one user: `on` with the default retrieval, `off` with
 * `offRetrieval` over it, for a test of one retrieval rule switched on and off. `occurredAt(session, i)` dates
 * the i-th turn.
 */
export async function onOffEngines(
  dir: string,
  user: string,
  turns: Turn[],
  offRetrieval: Retrieval,
  occurredAt: (session: string, i: number) => string,
): Promise<{ on: Engram; off: Engram; close(): Promise<void> }> {
  const on = await open({ path: testDb(dir, 'on.db') });
  const off = await open({ path: testDb(dir, 'off.db'), retrieval: offRetrieval });
  for (const engram of [on, off]) {
    await engram.addMany(
      turns.map(([session, speaker, text], i) => ({
        user,
        session,
        kind: 'turn' as const,
        speaker,
        role: 'user' as const,
        text,
        occurredAt: occurredAt(session, i),
      })),
    );
  }
  return {
    on,
    off,
    async close() {
      await on.close();
      await off.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
