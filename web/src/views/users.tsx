/** Every user of the tenant: what Engram holds about each, how much, and how recent. */
import { useEffect, useState } from 'preact/hooks';
import { api, type UserSummary } from '../api.js';
import { Empty, ErrorBox, Loading } from '../components/states.js';
import { day, plural } from '../format.js';
import { useLoad } from '../load.js';
import { href } from '../router.js';

const KIND_ORDER = ['fact', 'turn', 'summary', 'note'];

function Counts({ u }: { u: UserSummary }) {
  return (
    <ul class="counts" aria-label="Memories by kind">
      {KIND_ORDER.filter((k) => u.byKind[k]).map((k) => (
        <li key={k} class={`count kind-${k}`}>
          <strong>{u.byKind[k]}</strong>{' '}
          {k === 'summary' ? (u.byKind[k] === 1 ? 'summary' : 'summaries') : u.byKind[k] === 1 ? k : `${k}s`}
        </li>
      ))}
    </ul>
  );
}

export function UsersView() {
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 200);
    return () => clearTimeout(t);
  }, [q]);
  const users = useLoad(() => api.users(debounced || undefined), [debounced]);
  return (
    <section aria-labelledby="users-title">
      <div class="view-head">
        <h1 id="users-title">Users</h1>
        <p class="lede">
          Everyone this tenant's memories are about. Pick one to see what Engram knows and where it came from.
        </p>
      </div>
      <label class="field search-field">
        <span>Find a user</span>
        <input
          type="search"
          value={q}
          placeholder="Name contains…"
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          aria-controls="users-list"
        />
      </label>
      <div id="users-list" aria-busy={users.state === 'loading'}>
        {users.state === 'error' ? <ErrorBox error={users.error} retry={users.reload} /> : null}
        {users.state === 'loading' && !users.data ? <Loading rows={4} label="Loading users" /> : null}
        {users.data ? (
          users.data.users.length === 0 ? (
            debounced ? (
              <Empty title={`No user matches “${debounced}”.`} />
            ) : (
              <Empty title="No memories yet.">
                Ingest a conversation (<code>engram ingest file.json</code> or{' '}
                <code>POST /v1/conversations</code>) or import a JSONL export under{' '}
                <a href={href({ view: 'data' })}>Data</a>.
              </Empty>
            )
          ) : (
            <ul class="user-grid">
              {users.data.users.map((u) => (
                <li key={u.user}>
                  <a class="card user-card" href={href({ view: 'timeline', user: u.user })}>
                    <span class="user-name">{u.user}</span>
                    <Counts u={u} />
                    <span class="user-meta">
                      {u.sessions === 0 ? 'no sessions' : plural(u.sessions, 'session')} · last activity{' '}
                      {day(u.lastActivity)}
                      {u.superseded ? ` · ${u.superseded} superseded` : ''}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )
        ) : null}
      </div>
    </section>
  );
}
