/** The top of every per-user page: name, counts, tabs, and (for admin keys) erasing the whole user. */
import { useState } from 'preact/hooks';
import { api, type SessionSummary } from '../api.js';
import { Confirm } from '../components/dialog.js';
import { plural } from '../format.js';
import { useLoad } from '../load.js';
import { go, href, type Route } from '../router.js';
import { isAdmin, useSession } from '../session.js';

interface Totals {
  memories: number;
  byKind: Record<string, number>;
  sessions: number;
}

/** The user's totals from their sessions: reads only this user's memories, not the whole tenant's. */
function totals(sessions: SessionSummary[]): Totals | null {
  if (sessions.length === 0) return null;
  const t: Totals = { memories: 0, byKind: {}, sessions: 0 };
  for (const s of sessions) {
    t.memories += s.memories;
    if (s.session !== null) t.sessions += 1;
    for (const [k, n] of Object.entries(s.byKind)) t.byKind[k] = (t.byKind[k] ?? 0) + n;
  }
  return t;
}

function describe(u: Totals): string {
  const kinds = Object.entries(u.byKind)
    .map(([k, n]) => plural(n, k, k === 'summary' ? 'summaries' : `${k}s`))
    .join(', ');
  return `${plural(u.memories, 'memory', 'memories')} (${kinds}) across ${plural(u.sessions, 'session')}`;
}

export function UserHeader({ user, current }: { user: string; current: Route['view'] }) {
  const session = useSession();
  const summary = useLoad(async () => totals((await api.sessions(user)).sessions), [user]);
  const [erasing, setErasing] = useState(false);
  const tabs: { view: 'timeline' | 'facts' | 'entities' | 'search'; label: string }[] = [
    { view: 'timeline', label: 'Timeline' },
    { view: 'facts', label: 'Facts' },
    { view: 'entities', label: 'Entities' },
    { view: 'search', label: 'Search' },
  ];
  const u = summary.data;
  return (
    <div class="user-head">
      <p class="crumbs">
        <a href={href({ view: 'users' })}>Users</a> /
      </p>
      <div class="user-title">
        <h1>{user}</h1>
        {isAdmin(session) && u ? (
          <button type="button" class="danger subtle" onClick={() => setErasing(true)}>
            Erase user…
          </button>
        ) : null}
      </div>
      <p class="lede summary-line">
        {u ? describe(u) : summary.state === 'loading' ? '\u00a0' : 'No memories.'}
      </p>
      <nav class="tabs" aria-label={`Views of ${user}`}>
        {tabs.map((t) => (
          <a
            key={t.view}
            href={href({ view: t.view, user })}
            aria-current={
              current === t.view || (t.view === 'entities' && current === 'entity') ? 'page' : undefined
            }
            class={current === t.view || (t.view === 'entities' && current === 'entity') ? 'active' : ''}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {erasing && u ? (
        <Confirm
          title={`Erase everything about ${user}?`}
          action="Erase for good"
          danger
          confirmText={user}
          onClose={() => setErasing(false)}
          onConfirm={async () => {
            await api.erase({ user });
            go({ view: 'users' });
          }}
        >
          <p>
            This removes <strong>{describe(u)}</strong> of <strong>{user}</strong>: their text, vectors,
            full-text index entries and every history entry. It cannot be undone; export first if you may need
            them (Data → Export).
          </p>
        </Confirm>
      ) : null}
    </div>
  );
}
