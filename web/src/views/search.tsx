/**
 * Search as the model's retrieval sees it: the hits with their score breakdown (explain) as bars, and the
 * context block buildContext would hand the model for the same query.
 */
import { useState } from 'preact/hooks';
import { api, type ContextResponse, type SearchHit, type SearchRequest } from '../api.js';
import { Bars, maxBySignal, signalsOf } from '../components/bars.js';
import { MemoryCard } from '../components/memory.js';
import { Empty, ErrorBox, Loading } from '../components/states.js';
import { useLoad } from '../load.js';
import { go } from '../router.js';
import { UserHeader } from './user-header.js';

const KINDS = ['turn', 'fact', 'summary', 'note'] as const;
type Kind = (typeof KINDS)[number];

interface Outcome {
  request: SearchRequest;
  hits: SearchHit[];
  context: ContextResponse;
}

function Results({ outcome }: { outcome: Outcome }) {
  const signals = outcome.hits.map((h) => signalsOf(h.explain as Record<string, unknown> | undefined));
  const max = maxBySignal(signals.map((s) => s.bars));
  return (
    <div class="results-grid">
      <div>
        <h2 id="hits-title">
          {outcome.hits.length} {outcome.hits.length === 1 ? 'hit' : 'hits'}, best first
        </h2>
        {outcome.hits.length === 0 ? (
          <Empty title="Nothing matched.">Try other words, another kind, or no session filter.</Empty>
        ) : (
          <ol class="hits" aria-labelledby="hits-title">
            {outcome.hits.map((h, i) => (
              <li key={h.id}>
                <MemoryCard m={h.memory} events={(h as { eventTimes?: unknown }).eventTimes}>
                  <div class="score">
                    <span class="rank">#{i + 1}</span> score <strong>{h.score.toFixed(3)}</strong>
                  </div>
                  <Bars signals={signals[i].bars} max={max} />
                  {signals[i].notes.length > 0 ? <p class="muted">{signals[i].notes.join(' · ')}</p> : null}
                </MemoryCard>
              </li>
            ))}
          </ol>
        )}
      </div>
      <div>
        <h2>What the model would receive</h2>
        <p class="muted">
          buildContext for this query: {outcome.context.ids.length} memories, {outcome.context.tokens} tokens
          {outcome.context.flagged.length > 0
            ? `, ${outcome.context.flagged.length} flagged as instruction-like`
            : ''}
          .
        </p>
        {/* A scrolling region has to be reachable by keyboard, or its overflow cannot be read. */}
        <section class="context-wrap" aria-label="Context block">
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users scroll the block with the arrows */}
          <pre class="context" tabIndex={0}>
            {outcome.context.context || '(empty: nothing relevant)'}
          </pre>
        </section>
      </div>
    </div>
  );
}

function SearchForm({ user }: { user?: string }) {
  const users = useLoad(() => api.users(), []);
  const sessions = useLoad(async () => (user ? (await api.sessions(user)).sessions : []), [user]);
  const [q, setQ] = useState('');
  const [asOf, setAsOf] = useState('');
  const [session, setSession] = useState('');
  const [kinds, setKinds] = useState<Kind[]>([]);
  const [k, setK] = useState(10);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!user || q.trim() === '') return;
    const request: SearchRequest = { user, query: q.trim(), k, explain: true, reinforce: false };
    if (asOf) request.asOf = asOf;
    if (session) request.session = session;
    if (kinds.length > 0) request.kind = kinds.length === 1 ? kinds[0] : kinds;
    setBusy(true);
    setError(null);
    try {
      const [hits, context] = await Promise.all([
        api.search(request),
        api.context({
          user,
          query: request.query,
          ...(session ? { session } : {}),
          // The same point in time as the hits, so the block shows what the model would have known then.
          ...(asOf ? { asOf } : {}),
        }),
      ]);
      setOutcome({ request, hits, context });
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form class="card search-form" onSubmit={submit} aria-label="Search memories">
        <div class="form-row">
          {user === undefined ? (
            <label class="field">
              <span>User</span>
              <select
                value=""
                onChange={(e) => {
                  const v = (e.target as HTMLSelectElement).value;
                  if (v) go({ view: 'search', user: v });
                }}
              >
                <option value="">Choose a user…</option>
                {users.data?.users.map((u) => (
                  <option key={u.user} value={u.user}>
                    {u.user}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label class="field grow">
            <span>Query</span>
            <input
              type="search"
              name="query"
              value={q}
              placeholder="e.g. what does she do on weekends?"
              onInput={(e) => setQ((e.target as HTMLInputElement).value)}
              disabled={!user}
            />
          </label>
        </div>
        <div class="form-row">
          <label class="field">
            <span>As of</span>
            <input type="date" value={asOf} onInput={(e) => setAsOf((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span>Session</span>
            <select value={session} onChange={(e) => setSession((e.target as HTMLSelectElement).value)}>
              <option value="">All sessions</option>
              {(sessions.data ?? [])
                .filter((s) => s.session !== null)
                .map((s) => (
                  <option key={s.session} value={s.session!}>
                    {s.session}
                  </option>
                ))}
            </select>
          </label>
          <label class="field narrow">
            <span>Hits</span>
            <input
              type="number"
              min={1}
              max={100}
              value={k}
              onInput={(e) => setK(Number((e.target as HTMLInputElement).value) || 10)}
            />
          </label>
          <fieldset class="kinds">
            <legend>Kinds</legend>
            {KINDS.map((kind) => (
              <label key={kind} class="check">
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  onChange={(e) =>
                    setKinds((ks) =>
                      (e.target as HTMLInputElement).checked ? [...ks, kind] : ks.filter((x) => x !== kind),
                    )
                  }
                />
                {kind}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary" disabled={!user || busy || q.trim() === ''}>
            {busy ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
      <div class="search-out" aria-live="polite" aria-busy={busy}>
        {error ? <ErrorBox error={error} /> : null}
        {busy && !outcome ? <Loading rows={3} label="Searching" /> : null}
        {outcome ? (
          <Results outcome={outcome} />
        ) : !busy && user ? (
          <Empty title="Ask something about this user." />
        ) : null}
        {!user ? <Empty title="Choose a user to search their memories." /> : null}
      </div>
    </>
  );
}

export function SearchView({ user }: { user?: string }) {
  return (
    <section>
      {user ? (
        <UserHeader user={user} current="search" />
      ) : (
        <div class="view-head">
          <h1>Search</h1>
          <p class="lede">Hybrid search over one user's memories, with why each hit ranks where it does.</p>
        </div>
      )}
      <SearchForm key={user ?? ''} user={user} />
    </section>
  );
}
