/** Admin keys only: API keys, maintenance with its report, statistics and health. */
import { useState } from 'preact/hooks';
import { api, type CreatedKey, type MaintainReport } from '../api.js';
import { Confirm } from '../components/dialog.js';
import { Empty, ErrorBox, Loading } from '../components/states.js';
import { day, plural, when } from '../format.js';
import { useLoad } from '../load.js';
import { useSession } from '../session.js';

function Keys() {
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = useLoad(() => api.keys(showRevoked), [showRevoked]);
  const [role, setRole] = useState<'read' | 'write' | 'admin'>('read');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; label: string } | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setCreated(await api.createKey({ role, ...(name.trim() ? { name: name.trim() } : {}) }));
      setName('');
      keys.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <form class="form-row" onSubmit={create} aria-label="Create an API key">
        <label class="field">
          <span>Role</span>
          <select
            value={role}
            onChange={(e) => setRole((e.target as HTMLSelectElement).value as typeof role)}
          >
            <option value="read">read: search and browse</option>
            <option value="write">write: also add and change</option>
            <option value="admin">admin: also erase, import, keys</option>
          </select>
        </label>
        <label class="field grow">
          <span>Name (optional)</span>
          <input
            value={name}
            maxLength={100}
            placeholder="e.g. support bot"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="primary">
          Create key
        </button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {created ? (
        <div class="secret" role="status">
          <p>
            New {created.key.role} key{created.key.name ? ` “${created.key.name}”` : ''}. Copy it now: it is
            shown this once and only its hash is stored.
          </p>
          <output class="secret-value" aria-label="The new API key">
            {created.secret}
          </output>
          <button type="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      ) : null}
      <label class="check spaced">
        <input
          type="checkbox"
          checked={showRevoked}
          onChange={(e) => setShowRevoked((e.target as HTMLInputElement).checked)}
        />
        Show revoked keys
      </label>
      {keys.state === 'error' ? <ErrorBox error={keys.error} retry={keys.reload} /> : null}
      {!keys.data && keys.state === 'loading' ? <Loading rows={2} label="Loading keys" /> : null}
      {keys.data ? (
        keys.data.length === 0 ? (
          <Empty title="No API keys for this tenant.">
            The server runs in development mode until one exists.
          </Empty>
        ) : (
          <div class="table-wrap">
            <table class="keys">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Role</th>
                  <th scope="col" class="wide-only">
                    Created
                  </th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((k) => (
                  <tr key={k.id} class={k.revokedAt ? 'inactive' : ''}>
                    <td>
                      <code>{k.prefix}…</code> {k.name ? <span>{k.name}</span> : null}
                    </td>
                    <td>{k.role}</td>
                    <td class="wide-only">{day(k.createdAt)}</td>
                    <td>{k.lastUsedAt ? when(k.lastUsedAt) : 'never'}</td>
                    <td>
                      {k.revokedAt ? (
                        `revoked ${day(k.revokedAt)}`
                      ) : (
                        <button
                          type="button"
                          class="danger subtle"
                          onClick={() =>
                            setRevoking({ id: k.id, label: `${k.prefix}…${k.name ? ` (${k.name})` : ''}` })
                          }
                        >
                          Revoke…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {revoking ? (
        <Confirm
          title="Revoke this key?"
          action="Revoke"
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api.revokeKey(revoking.id);
            keys.reload();
          }}
        >
          <p>
            Every request made with <code>{revoking.label}</code> fails from now on, including this tab's if
            it is the key you signed in with.
          </p>
        </Confirm>
      ) : null}
    </section>
  );
}

function Report({ r }: { r: MaintainReport }) {
  const rows: [string, number][] = [
    ['duplicates merged', r.merged.reduce((n, m) => n + m.removed.length, 0)],
    ['conflicts resolved', r.resolved.length],
    ['archived (faded)', r.archived.length],
    ['expired (TTL)', r.expired.length],
    ['session summaries', r.summaries.length],
  ];
  return (
    <div class="report" role="status">
      <p>
        {r.dryRun ? 'Dry run — nothing changed. It would have:' : 'Done:'} {plural(r.users.length, 'user')}{' '}
        checked at {when(r.now)}.
      </p>
      <table class="report-table">
        <tbody>
          {rows.map(([label, n]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Maintain({ onDone }: { onDone(): void }) {
  const [dryRun, setDryRun] = useState(true);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<MaintainReport | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setReport(await api.maintain({ dryRun }));
      if (!dryRun) onDone();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={run} aria-labelledby="maintain-title">
      <h2 id="maintain-title">Maintain</h2>
      <p class="muted">
        Merge duplicates, resolve conflicting facts, archive faded memories, expire, summarise sessions.
      </p>
      <div class="form-row">
        <label class="check">
          <input
            type="checkbox"
            checked={dryRun}
            onChange={(e) => setDryRun((e.target as HTMLInputElement).checked)}
          />
          Dry run (report only)
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Running…' : 'Run maintenance'}
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {report ? <Report r={report} /> : null}
    </form>
  );
}

const KIND_PLURALS: Record<string, string> = {
  fact: 'facts',
  turn: 'turns',
  note: 'notes',
  summary: 'summaries',
};

function breakdown(counts: Record<string, number>, plurals: Record<string, string>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n.toLocaleString('en')} ${n === 1 ? k : (plurals[k] ?? k)}`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

type Loaded<T> = ReturnType<typeof useLoad<T>>;

function Overview({
  stats,
  health,
}: {
  stats: Loaded<Awaited<ReturnType<typeof api.stats>>>;
  health: Loaded<Awaited<ReturnType<typeof api.health>>>;
}) {
  const { who } = useSession();
  return (
    <section class="card" aria-labelledby="stats-title">
      <h2 id="stats-title">Tenant {who.tenant}</h2>
      {stats.state === 'error' ? <ErrorBox error={stats.error} retry={stats.reload} /> : null}
      {stats.data ? (
        <dl class="stat-grid">
          <div>
            <dt>memories</dt>
            <dd>{stats.data.memories.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>users</dt>
            <dd>{stats.data.users}</dd>
          </div>
          <div>
            <dt>sessions</dt>
            <dd>{stats.data.sessions}</dd>
          </div>
          <div>
            <dt>history entries</dt>
            <dd>{stats.data.historyEntries.toLocaleString('en')}</dd>
          </div>
        </dl>
      ) : null}
      {stats.data ? (
        <p class="breakdown">
          By kind: {breakdown(stats.data.byKind, KIND_PLURALS)}. By status:{' '}
          {breakdown(stats.data.byStatus, {})}. Schema v{stats.data.schemaVersion}.
        </p>
      ) : (
        <Loading rows={2} label="Loading statistics" />
      )}
      <p class="health">
        Health:{' '}
        {health.data ? (
          <>
            <span class={`dot ${health.data.live === 'ok' ? 'good' : 'bad'}`} aria-hidden="true" /> live{' '}
            {health.data.live} ·{' '}
            <span class={`dot ${health.data.ready === 'ready' ? 'good' : 'bad'}`} aria-hidden="true" />{' '}
            {health.data.ready}
          </>
        ) : health.state === 'error' ? (
          health.error.message
        ) : (
          '…'
        )}
      </p>
      {stats.data ? (
        <p class="muted">
          Vectors:{' '}
          {Object.entries(stats.data.vectors)
            .map(([m, n]) => `${n} × ${m}`)
            .join(', ') || 'none (BM25 only)'}
        </p>
      ) : null}
    </section>
  );
}

export function AdminView() {
  const [tick, setTick] = useState(0);
  const stats = useLoad(() => api.stats(), [tick]);
  const health = useLoad(() => api.health(), [tick]);
  // One placeholder until the first numbers arrive, then every card at once: nothing below moves as they load.
  const first = !stats.data && stats.state === 'loading';
  return (
    <section>
      <div class="view-head">
        <h1>Admin</h1>
        <p class="lede">Keys, upkeep and the state of this tenant.</p>
      </div>
      {first ? (
        <Loading rows={4} label="Loading the tenant" />
      ) : (
        <div class="stack">
          <Overview stats={stats} health={health} />
          <Maintain onDone={() => setTick((t) => t + 1)} />
          <Keys />
        </div>
      )}
    </section>
  );
}
