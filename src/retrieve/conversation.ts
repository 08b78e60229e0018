/**
 * Queries about the conversation itself: "the first time we talked" (the earliest session), "last time"
 * (the latest session before the day of `now`), "what did we talk about on 3 May?" (the session of that
 * day). Each names one session, which retrieval then ranks as a whole.
 */
import type { Memory } from '../core/types.js';
import type { ScopeFilter, Store } from '../store/types.js';
import type { QueryPlan } from './query-plan.js';

/** Pages of 1000 memories read at most to find a session; beyond that the answer is the best seen. */
const MAX_PAGES = 20;
const PAGE = 1000;

async function* memories(store: Store, filter: ScopeFilter, occurred?: { from?: string; to?: string }) {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await store.list(filter.tenant, {
      ...(filter.user !== undefined ? { user: filter.user } : {}),
      ...(filter.agent !== undefined ? { agent: filter.agent } : {}),
      ...(occurred ? { occurred } : {}),
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    yield* result.items;
    if (!result.nextCursor) return;
    cursor = result.nextCursor;
  }
}

function dayStartIso(at: Date): string {
  return new Date(Math.floor(at.getTime() / 86_400_000) * 86_400_000).toISOString();
}

/** The session the query refers to, or null when it refers to none or none is stored. */
export async function referencedSession(
  store: Store,
  filter: ScopeFilter,
  plan: QueryPlan,
): Promise<string | null> {
  if (!plan.conversation || filter.session !== undefined) return null;
  let best: Memory | null = null;
  if (plan.conversation === 'first' || plan.conversation === 'last') {
    const before = dayStartIso(plan.now);
    for await (const m of memories(store, filter, { to: before })) {
      if (m.session === null) continue;
      const better =
        !best ||
        (plan.conversation === 'first' ? m.occurredAt < best.occurredAt : m.occurredAt > best.occurredAt);
      if (better) best = m;
    }
    return best?.session ?? null;
  }
  // The day form: the session with the most memories said in the named range.
  const range = plan.ranges[0];
  if (!range) return null;
  const counts = new Map<string, number>();
  const occurred = { from: new Date(range.start).toISOString(), to: new Date(range.end).toISOString() };
  for await (const m of memories(store, filter, occurred)) {
    if (m.session !== null) counts.set(m.session, (counts.get(m.session) ?? 0) + 1);
  }
  let top: string | null = null;
  for (const [session, n] of counts) if (top === null || n > counts.get(top)!) top = session;
  return top;
}

/** The memories of a session in write order, as a candidate list (equal scores: the session is one unit). */
export async function sessionCandidates(
  store: Store,
  filter: ScopeFilter,
  session: string,
  limit: number,
): Promise<{ id: string; score: number }[]> {
  const page = await store.list(filter.tenant, {
    ...(filter.user !== undefined ? { user: filter.user } : {}),
    session,
    limit: Math.min(limit, PAGE),
  });
  return page.items.map((m) => ({ id: m.id, score: 1 }));
}
