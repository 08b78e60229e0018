/** Export and import JSONL, and erase a whole user: the tenant's data in and out. */
import { useState } from 'preact/hooks';
import { api, type UserSummary } from '../api.js';
import { Confirm } from '../components/dialog.js';
import { ErrorBox } from '../components/states.js';
import { plural } from '../format.js';
import { useLoad } from '../load.js';
import { isAdmin, useSession } from '../session.js';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Export({ users }: { users: UserSummary[] }) {
  const [user, setUser] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setStatus('Exporting…');
    try {
      const text = await api.exportJsonl(user || undefined);
      const lines = text.split('\n').filter((l) => l.trim() !== '').length;
      download(`engram-${user || 'all'}.jsonl`, text);
      setStatus(`Exported ${plural(lines, 'memory', 'memories')}.`);
    } catch (err) {
      setStatus(null);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <form class="card" onSubmit={run} aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p class="muted">One memory per line with every field, the format import reads back.</p>
      <div class="form-row">
        <label class="field">
          <span>Whose memories</span>
          <select value={user} onChange={(e) => setUser((e.target as HTMLSelectElement).value)}>
            <option value="">Every user</option>
            {users.map((u) => (
              <option key={u.user} value={u.user}>
                {u.user}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">
          Export JSONL
        </button>
      </div>
      <p class="status" role="status">
        {status ?? '\u00a0'}
      </p>
      {error ? <ErrorBox error={error} /> : null}
    </form>
  );
}

function Import({ onDone }: { onDone(): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setStatus('Importing…');
    try {
      const r = await api.importJsonl(await file.text());
      setStatus(`Imported ${plural(r.imported, 'memory', 'memories')} from ${file.name}.`);
      onDone();
    } catch (err) {
      setStatus(null);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <form class="card" onSubmit={run} aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <p class="muted">
        A JSONL export. All or nothing: one bad line and nothing is written. Memories keep their ids and land
        in this key's tenant.
      </p>
      <div class="form-row">
        <label class="field grow">
          <span>JSONL file</span>
          <input
            type="file"
            accept=".jsonl,.ndjson,application/x-ndjson"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="primary" disabled={!file}>
          Import
        </button>
      </div>
      <p class="status" role="status">
        {status ?? '\u00a0'}
      </p>
      {error ? <ErrorBox error={error} /> : null}
    </form>
  );
}

function EraseUser({ users, onDone }: { users: UserSummary[]; onDone(): void }) {
  const [user, setUser] = useState('');
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const target = users.find((u) => u.user === user);
  return (
    <section class="card danger-zone" aria-labelledby="erase-title">
      <h2 id="erase-title">Erase a user</h2>
      <p class="muted">Hard erasure for a deletion request: text, vectors, index entries and history.</p>
      <div class="form-row">
        <label class="field">
          <span>User</span>
          <select value={user} onChange={(e) => setUser((e.target as HTMLSelectElement).value)}>
            <option value="">Choose…</option>
            {users.map((u) => (
              <option key={u.user} value={u.user}>
                {u.user}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="danger" disabled={!target} onClick={() => setOpen(true)}>
          Erase…
        </button>
      </div>
      <p class="status" role="status">
        {status ?? '\u00a0'}
      </p>
      {open && target ? (
        <Confirm
          title={`Erase everything about ${target.user}?`}
          action="Erase for good"
          danger
          confirmText={target.user}
          onClose={() => setOpen(false)}
          onConfirm={async () => {
            const r = await api.erase({ user: target.user });
            setStatus(`Erased ${plural(r.erased, 'memory', 'memories')} of ${target.user}.`);
            setUser('');
            onDone();
          }}
        >
          <p>
            Lost for good: <strong>{plural(target.memories, 'memory', 'memories')}</strong> of{' '}
            <strong>{target.user}</strong> (
            {Object.entries(target.byKind)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ')}
            ) across {plural(target.sessions, 'session')}, with their history. Export them first if you may
            need them.
          </p>
        </Confirm>
      ) : null}
    </section>
  );
}

export function TenantDataView() {
  const session = useSession();
  const users = useLoad(() => api.users(), []);
  const list = users.data?.users ?? [];
  return (
    <section>
      <div class="view-head">
        <h1>Data</h1>
        <p class="lede">Take the tenant's memories out, bring them back, or erase a person completely.</p>
      </div>
      {users.state === 'error' ? <ErrorBox error={users.error} retry={users.reload} /> : null}
      <div class="stack">
        <Export users={list} />
        {isAdmin(session) ? (
          <>
            <Import onDone={users.reload} />
            <EraseUser users={list} onDone={users.reload} />
          </>
        ) : (
          <p class="muted">Import and erasure need an admin key.</p>
        )}
      </div>
    </section>
  );
}
