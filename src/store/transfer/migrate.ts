import { EngramError, ErrorCodes } from '../../core/errors.js';
import { isPostgresUrl } from '../postgres/url.js';
import type { Counts, RawSource, RawTarget } from './types.js';

export type MigrateProgress = (
  phase: 'memories' | 'vectors' | 'history' | 'mentions' | 'eventTimes' | 'keys',
  done: number,
  total: number,
) => void;

export interface MigrateResult {
  from: Counts;
  to: Counts;
}

const PAGE = 2_000;

async function rawOf(location: string): Promise<RawSource & RawTarget> {
  if (isPostgresUrl(location)) {
    const { PostgresRaw } = await import('./postgres-raw.js');
    return PostgresRaw.open(location);
  }
  const { SqliteRaw } = await import('./sqlite-raw.js');
  return new SqliteRaw(location);
}

/**
 * Copies every memory, vector, history entry, entity mention, event time and API key from one database to another (SQLite file or
 * PostgreSQL schema, either way round), as they are: ids, times and history unchanged. The destination must
 * be empty; everything is written in one transaction, so a failure leaves it empty. Counts are compared at
 * the end. Both locations must have been opened by the store first (schema created and current); the
 * destination's lexical index is rebuilt on its next open.
 */
export async function migrateDatabase(
  from: string,
  to: string,
  progress: MigrateProgress = () => {},
): Promise<MigrateResult> {
  const source = await rawOf(from);
  let target: RawSource & RawTarget;
  try {
    target = await rawOf(to);
  } catch (e) {
    await source.close();
    throw e;
  }
  try {
    const before = await target.counts();
    if (before.memories > 0 || before.history > 0 || before.keys > 0) {
      throw new EngramError(
        ErrorCodes.CONFLICT,
        `The destination already holds ${before.memories} memories, ${before.history} history entries and ${before.keys} keys; migrate into an empty database`,
      );
    }
    const want = await source.counts();
    await target.transaction(async (w) => {
      for (let done = 0; done < want.memories; ) {
        const rows = await source.memories(done, PAGE);
        if (rows.length === 0) break;
        await w.memories(rows);
        done += rows.length;
        progress('memories', done, want.memories);
      }
      for (let done = 0; done < want.vectors; ) {
        const rows = await source.vectors(done, PAGE);
        if (rows.length === 0) break;
        await w.vectors(rows);
        done += rows.length;
        progress('vectors', done, want.vectors);
      }
      for (let done = 0; done < want.history; ) {
        const rows = await source.history(done, PAGE);
        if (rows.length === 0) break;
        await w.history(rows);
        done += rows.length;
        progress('history', done, want.history);
      }
      for (let done = 0; done < want.mentions; ) {
        const rows = await source.mentions(done, PAGE);
        if (rows.length === 0) break;
        await w.mentions(rows);
        done += rows.length;
        progress('mentions', done, want.mentions);
      }
      for (let done = 0; done < want.eventTimes; ) {
        const rows = await source.eventTimes(done, PAGE);
        if (rows.length === 0) break;
        await w.eventTimes(rows);
        done += rows.length;
        progress('eventTimes', done, want.eventTimes);
      }
      await w.eventTimesVersion(await source.eventTimesVersion());
      const keys = await source.keys();
      await w.keys(keys);
      progress('keys', keys.length, want.keys);
    });
    const got = await target.counts();
    for (const k of ['memories', 'vectors', 'history', 'mentions', 'eventTimes', 'keys'] as const) {
      if (got[k] !== want[k]) {
        throw new EngramError(
          ErrorCodes.INTERNAL,
          `Migration incomplete: the source holds ${want[k]} ${k}, the destination ${got[k]} (the source changed while copying?)`,
        );
      }
    }
    return { from: want, to: got };
  } finally {
    await source.close();
    await target.close();
  }
}
