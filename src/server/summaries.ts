/**
 * Per-user and per-session summaries for the dashboard, computed from the engine's paged list. The store has
 * no aggregate query yet, so a summary reads every memory in its scope once: fine for the tenants a person
 * browses, and the answer says how many memories it read (`scanned`).
 */
import type { z } from 'zod';
import type { ListQuery, Memory } from '../core/types.js';
import type { Engram } from '../memory/types.js';
import type { SessionSummarySchema, UserSummarySchema } from './schemas.js';

type UserSummary = z.output<typeof UserSummarySchema>;
type SessionSummary = z.output<typeof SessionSummarySchema>;

const PAGE = 1000;

/** Every active or archived memory in scope, superseded ones included; deleted ones are left out. */
async function* everyMemory(
  engram: Engram,
  query: Omit<ListQuery, 'cursor' | 'limit'>,
): AsyncGenerator<Memory> {
  let cursor: string | null = null;
  do {
    const q: ListQuery = { ...query, includeArchived: true, includeSuperseded: true, limit: PAGE };
    if (cursor) q.cursor = cursor;
    const page = await engram.list(q);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);
const later = (a: string | null, b: string) => (a === null || b > a ? b : a);

export async function summariseUsers(
  engram: Engram,
  nameContains?: string,
): Promise<{ users: UserSummary[]; scanned: number }> {
  const needle = nameContains?.trim().toLowerCase() ?? '';
  const byUser = new Map<string, UserSummary & { sessionSet: Set<string> }>();
  let scanned = 0;
  for await (const m of everyMemory(engram, {})) {
    scanned += 1;
    if (needle && !m.user.toLowerCase().includes(needle)) continue;
    let s = byUser.get(m.user);
    if (!s) {
      s = {
        user: m.user,
        memories: 0,
        byKind: {},
        superseded: 0,
        sessions: 0,
        firstActivity: null,
        lastActivity: null,
        lastChange: null,
        sessionSet: new Set(),
      };
      byUser.set(m.user, s);
    }
    s.memories += 1;
    s.byKind[m.kind] = (s.byKind[m.kind] ?? 0) + 1;
    if (m.validTo !== null) s.superseded += 1;
    if (m.session !== null) s.sessionSet.add(m.session);
    s.firstActivity = earlier(s.firstActivity, m.occurredAt);
    s.lastActivity = later(s.lastActivity, m.occurredAt);
    s.lastChange = later(s.lastChange, m.updatedAt);
  }
  const users = [...byUser.values()].map(({ sessionSet, ...s }) => ({ ...s, sessions: sessionSet.size }));
  users.sort(
    (a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? '') || a.user.localeCompare(b.user),
  );
  return { users, scanned };
}

export async function summariseSessions(engram: Engram, user: string): Promise<SessionSummary[]> {
  const bySession = new Map<
    string | null,
    SessionSummary & { turnFrom: string | null; turnTo: string | null }
  >();
  for await (const m of everyMemory(engram, { user })) {
    let s = bySession.get(m.session);
    if (!s) {
      s = { session: m.session, byKind: {}, memories: 0, from: null, to: null, turnFrom: null, turnTo: null };
      bySession.set(m.session, s);
    }
    s.memories += 1;
    s.byKind[m.kind] = (s.byKind[m.kind] ?? 0) + 1;
    s.from = earlier(s.from, m.occurredAt);
    s.to = later(s.to, m.occurredAt);
    // A fact about an event is dated when the event happened; the session is dated by when it was said.
    if (m.kind === 'turn') {
      s.turnFrom = earlier(s.turnFrom, m.occurredAt);
      s.turnTo = later(s.turnTo, m.occurredAt);
    }
  }
  const sessions = [...bySession.values()].map(({ turnFrom, turnTo, ...s }) => ({
    ...s,
    from: turnFrom ?? s.from,
    to: turnTo ?? s.to,
  }));
  sessions.sort(
    (a, b) => (b.to ?? '').localeCompare(a.to ?? '') || String(a.session).localeCompare(String(b.session)),
  );
  return sessions;
}
