/** The shell: sign-in with a key (kept for this tab only), the header, and the view for the current route. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, api, storedKey, storeKey } from './api.js';
import { ErrorBox, Loading } from './components/states.js';
import { useLoad } from './load.js';
import { href, type Route, useRoute } from './router.js';
import { isAdmin, Session, type SessionInfo } from './session.js';
import { AdminView } from './views/admin.js';
import { TenantDataView } from './views/data.js';
import { EntitiesView, EntityView } from './views/entities.js';
import { FactsView } from './views/facts.js';
import { MemoryView } from './views/memory.js';
import { SearchView } from './views/search.js';
import { TimelineView } from './views/timeline.js';
import { UsersView } from './views/users.js';

async function signIn(): Promise<SessionInfo> {
  const who = await api.whoami();
  return { who, devMode: who.keyId === null };
}

function SignIn({ failure, onKey }: { failure: Error | null; onKey(key: string): void }) {
  const [key, setKey] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <main id="main" class="signin">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onKey(key.trim());
        }}
      >
        <h1>Sign in to Engram</h1>
        <p class="muted">
          This server requires an API key. It is kept in this tab only (session storage): closing the tab
          forgets it.
        </p>
        <label class="field">
          <span>API key</span>
          <input
            ref={input}
            type="password"
            value={key}
            autoComplete="off"
            placeholder="egk_…"
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          />
        </label>
        {failure && !(failure instanceof ApiFailure && failure.status === 401 && !storedKey()) ? (
          <ErrorBox error={failure} />
        ) : null}
        <p class="muted small">
          No key? Create one on the server: <code>engram keys create --tenant T --role read</code>
        </p>
        <div class="actions">
          <button type="submit" class="primary" disabled={!key.trim()}>
            Open
          </button>
        </div>
      </form>
    </main>
  );
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'users':
      return <UsersView />;
    case 'timeline':
      return <TimelineView user={route.user} />;
    case 'facts':
      return <FactsView user={route.user} />;
    case 'entities':
      return <EntitiesView user={route.user} />;
    case 'entity':
      return <EntityView user={route.user} entity={route.entity} />;
    case 'search':
      return <SearchView user={route.user} />;
    case 'memory':
      return <MemoryView id={route.id} />;
    case 'data':
      return <TenantDataView />;
    case 'admin':
      return <AdminView />;
  }
}

function Header({ s, route, onSignOut }: { s: SessionInfo; route: Route; onSignOut(): void }) {
  const section =
    route.view === 'timeline' || route.view === 'facts' || route.view === 'memory' ? 'users' : route.view;
  const links: { view: 'users' | 'search' | 'data' | 'admin'; label: string }[] = [
    { view: 'users', label: 'Users' },
    { view: 'search', label: 'Search' },
    { view: 'data', label: 'Data' },
  ];
  if (isAdmin(s)) links.push({ view: 'admin', label: 'Admin' });
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href={href({ view: 'users' })}>
        Engram
      </a>
      <nav aria-label="Main">
        {links.map((l) => (
          <a
            key={l.view}
            href={href({ view: l.view })}
            class={section === l.view ? 'active' : ''}
            aria-current={section === l.view ? 'page' : undefined}
          >
            {l.label}
          </a>
        ))}
      </nav>
      <div class="who">
        <span class="tenant" title="Tenant and role of the key">
          {s.who.tenant} · {s.who.role}
        </span>
        {s.devMode ? (
          <span class="badge dev" title="No API keys: only this machine can connect">
            dev mode
          </span>
        ) : (
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}

export function App() {
  const route = useRoute();
  const [attempt, setAttempt] = useState(0);
  const session = useLoad(signIn, [attempt]);
  useEffect(() => {
    // Focus the new view's heading so keyboard and screen-reader users land on what changed.
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      h.tabIndex = -1;
      h.focus({ preventScroll: true });
    }
  }, [route]);
  if (session.state === 'error') {
    const unauthorised = session.error instanceof ApiFailure && session.error.status === 401;
    if (unauthorised) {
      return (
        <SignIn
          failure={session.error}
          onKey={(key) => {
            storeKey(key);
            setAttempt((a) => a + 1);
          }}
        />
      );
    }
    return (
      <main id="main" class="signin">
        <ErrorBox error={session.error} retry={() => setAttempt((a) => a + 1)} />
      </main>
    );
  }
  if (!session.data) {
    return (
      <main id="main">
        <Loading rows={4} label="Connecting" />
      </main>
    );
  }
  const s = session.data;
  return (
    <Session.Provider value={s}>
      <Header
        s={s}
        route={route}
        onSignOut={() => {
          storeKey(null);
          setAttempt((a) => a + 1);
        }}
      />
      <main id="main">
        <View route={route} />
      </main>
    </Session.Provider>
  );
}
