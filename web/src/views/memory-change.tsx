/** Edit, archive/restore, delete and erase one memory. Only rendered for keys that may write. */
import { useState } from 'preact/hooks';
import { api, type Memory } from '../api.js';
import { Confirm } from '../components/dialog.js';
import { go } from '../router.js';

export function ChangeControls({
  m,
  admin,
  onChanged,
}: {
  m: Memory;
  admin: boolean;
  onChanged(message: string): void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(m.text);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'delete' | 'erase' | null>(null);
  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged(message);
      setEditing(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (m.status === 'deleted') {
    return (
      <div class="change">
        <p class="muted">Deleted: kept in history only; it can no longer be changed.</p>
        {admin ? (
          <div class="actions">
            <button type="button" class="danger subtle" onClick={() => setConfirm('erase')}>
              Erase…
            </button>
          </div>
        ) : null}
        {confirm ? <EraseConfirm m={m} onClose={() => setConfirm(null)} /> : null}
      </div>
    );
  }
  return (
    <div class="change">
      {editing ? (
        <form
          class="edit"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => api.update(m.id, { text }), 'Saved. The old text is in the history below.');
          }}
        >
          <label class="field">
            <span>Text</span>
            <textarea
              value={text}
              rows={3}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <div class="actions">
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={busy || text.trim() === '' || text === m.text}>
              Save
            </button>
          </div>
        </form>
      ) : (
        <div class="actions">
          <button
            type="button"
            onClick={() => {
              setText(m.text);
              setEditing(true);
            }}
          >
            Edit text
          </button>
          {m.status === 'archived' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => run(() => api.update(m.id, { status: 'active' }), 'Restored: searched again.')}
            >
              Restore
            </button>
          ) : (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                run(
                  () => api.update(m.id, { status: 'archived' }),
                  'Archived: left out of search until restored.',
                )
              }
            >
              Archive
            </button>
          )}
          <button type="button" class="danger subtle" onClick={() => setConfirm('delete')}>
            Delete…
          </button>
          {admin ? (
            <button type="button" class="danger subtle" onClick={() => setConfirm('erase')}>
              Erase…
            </button>
          ) : null}
        </div>
      )}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {confirm === 'delete' ? (
        <Confirm
          title="Delete this memory?"
          action="Delete"
          danger
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api.remove(m.id);
            onChanged('Deleted: gone from search and lists, kept in history.');
          }}
        >
          <p>
            This {m.kind} leaves search, lists and the context given to the model. Its text stays in its
            history (erase removes that too). Deleting cannot be undone from here.
          </p>
          <blockquote class="memory-text">{m.text}</blockquote>
        </Confirm>
      ) : null}
      {confirm === 'erase' ? <EraseConfirm m={m} onClose={() => setConfirm(null)} /> : null}
    </div>
  );
}

function EraseConfirm({ m, onClose }: { m: Memory; onClose(): void }) {
  return (
    <Confirm
      title="Erase this memory for good?"
      action="Erase for good"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await api.erase({ id: m.id });
        const left = await api.list({
          user: m.user,
          limit: 1,
          includeArchived: true,
          includeSuperseded: true,
        });
        go(left.items.length > 0 ? { view: 'timeline', user: m.user } : { view: 'users' });
      }}
    >
      <p>
        This removes the {m.kind} of <strong>{m.user}</strong> below, its vector, its full-text entry and its
        whole history. It cannot be undone.
      </p>
      <blockquote class="memory-text">{m.text}</blockquote>
    </Confirm>
  );
}
