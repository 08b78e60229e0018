/**
 * One memory in full: its text and fields, its chain (what closed it, what it closed, the turns it came
 * from), its history with a diff of every text change, and the changes the key's role allows.
 */
import { useState } from 'preact/hooks';
import { api, type HistoryEntry, type Memory } from '../api.js';
import { TextDiff } from '../components/diff.js';
import { KindBadge, MemoryMeta, MemoryText, StateBadges } from '../components/memory.js';
import { ErrorBox, Loading } from '../components/states.js';
import { day, eventTimes, sourceIds, when } from '../format.js';
import { useLoad } from '../load.js';
import { href } from '../router.js';
import { canWrite, isAdmin, useSession } from '../session.js';
import { Sources } from './facts.js';
import { ChangeControls } from './memory-change.js';

interface Detail {
  memory: Memory;
  history: HistoryEntry[];
  closedBy: Memory | null;
  closed: Memory[];
  /** Facts drawn from this memory (for a turn). */
  derived: Memory[];
  turns: Map<string, Memory>;
}

async function loadDetail(id: string): Promise<Detail> {
  const memory = await api.get(id);
  const history = await api.history(id);
  const orNull = (p: Promise<Memory>) => p.catch(() => null);
  // The user's memories (one page for most users): what this one closed, and what was drawn from it.
  const [closedBy, mine, sources] = await Promise.all([
    memory.supersededBy ? orNull(api.get(memory.supersededBy)) : Promise.resolve(null),
    api.listAll({ user: memory.user, includeSuperseded: true, includeArchived: true }),
    Promise.all(sourceIds(memory).map((s) => orNull(api.get(s)))),
  ]);
  return {
    memory,
    history,
    closedBy,
    closed: mine.filter((m) => m.supersededBy === id),
    derived: mine.filter((m) => m.id !== id && sourceIds(m).includes(id)),
    turns: new Map(sources.filter((t): t is Memory => t !== null).map((t) => [t.id, t])),
  };
}

const FIELDS_SHOWN = [
  'status',
  'validTo',
  'supersededBy',
  'kind',
  'importance',
  'occurredAt',
  'speaker',
] as const;

function changedFields(e: HistoryEntry): string[] {
  if (!e.before || !e.after) return [];
  return FIELDS_SHOWN.filter((f) => JSON.stringify(e.before?.[f]) !== JSON.stringify(e.after?.[f])).map(
    (f) => `${f}: ${String(e.before?.[f] ?? '—')} → ${String(e.after?.[f] ?? '—')}`,
  );
}

function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <ol class="history">
      {entries.map((e) => {
        const before = typeof e.before?.text === 'string' ? e.before.text : null;
        const after = typeof e.after?.text === 'string' ? e.after.text : null;
        const fields = changedFields(e);
        return (
          <li key={e.seq} class={`history-entry action-${e.action}`}>
            <div class="history-head">
              <span class="badge">{e.action}</span>
              <time dateTime={e.at}>{when(e.at)}</time>
              <span class="muted">by {e.actor}</span>
            </div>
            {before !== null && after !== null && before !== after ? (
              <TextDiff before={before} after={after} />
            ) : e.action === 'add' || e.action === 'import' ? (
              after !== null ? (
                <p class="diff">{after}</p>
              ) : null
            ) : null}
            {fields.length > 0 ? (
              <ul class="fields">
                {fields.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

export function MemoryView({ id }: { id: string }) {
  const session = useSession();
  const detail = useLoad(() => loadDetail(id), [id]);
  const [saved, setSaved] = useState<string | null>(null);
  if (detail.state === 'error')
    return (
      <section>
        <p class="crumbs">
          <a href={href({ view: 'users' })}>Users</a> /
        </p>
        <h1>Memory</h1>
        <ErrorBox error={detail.error} retry={detail.reload} />
      </section>
    );
  if (!detail.data)
    return (
      <section>
        <p class="crumbs">
          <a href={href({ view: 'users' })}>Users</a> /
        </p>
        <h1 class="sr-only">Memory {id}</h1>
        <Loading rows={5} label="Loading the memory" />
      </section>
    );
  const { memory: m, history, closedBy, closed, derived, turns } = detail.data;
  const events = eventTimes(m);
  return (
    <section aria-labelledby="memory-title">
      <p class="crumbs">
        <a href={href({ view: 'users' })}>Users</a> /{' '}
        <a href={href({ view: 'timeline', user: m.user })}>{m.user}</a> /{' '}
        {m.kind === 'fact' ? <a href={href({ view: 'facts', user: m.user })}>facts</a> : 'memory'} /
      </p>
      <h1 id="memory-title" class="sr-only">
        {m.kind} {m.id}
      </h1>
      <article class="card memory big">
        <MemoryText text={m.text} />
        <MemoryMeta m={m} />
        {saved ? (
          <p class="ok" role="status">
            {saved}
          </p>
        ) : null}
        {canWrite(session) ? (
          <ChangeControls
            m={m}
            admin={isAdmin(session)}
            onChanged={(msg) => {
              setSaved(msg);
              detail.reload();
            }}
          />
        ) : null}
      </article>
      <div class="detail-grid">
        <div>
          <h2>Where it came from</h2>
          {sourceIds(m).length > 0 ? (
            <Sources ids={sourceIds(m)} turns={turns} />
          ) : (
            <p class="muted">
              {m.kind === 'turn'
                ? `Said by ${m.speaker ?? m.role ?? 'someone'} in ${m.session ? `session ${m.session}` : 'no session'}.`
                : 'Stored directly (no source turns recorded).'}
            </p>
          )}
          {derived.length > 0 ? (
            <>
              <h2>What Engram drew from it</h2>
              <ul class="derived">
                {derived.map((f) => (
                  <li key={f.id} class="fact-line">
                    <KindBadge kind={f.kind} />
                    <a href={href({ view: 'memory', id: f.id })}>{f.text}</a>
                    <StateBadges m={f} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2>Chain</h2>
          <ul class="chain">
            {closedBy ? (
              <li>
                superseded on {day(m.validTo)} by{' '}
                <a href={href({ view: 'memory', id: closedBy.id })}>“{closedBy.text}”</a>
              </li>
            ) : m.validTo ? (
              <li>superseded on {day(m.validTo)} (by a memory that no longer exists)</li>
            ) : (
              <li>current: true since {day(m.validFrom)}</li>
            )}
            {closed.map((c) => (
              <li key={c.id}>
                replaced <a href={href({ view: 'memory', id: c.id })}>“{c.text}”</a> on {day(c.validTo)}
              </li>
            ))}
          </ul>
          <h2>Fields</h2>
          <dl class="fields-list">
            <dt>id</dt>
            <dd>
              <code>{m.id}</code>
            </dd>
            <dt>said / happened</dt>
            <dd>
              {when(m.occurredAt)}
              {events.length > 0
                ? ` · event ${events.map((e) => (e.text ? `${e.label} (“${e.text}”)` : e.label)).join(', ')}`
                : ''}
            </dd>
            <dt>stored</dt>
            <dd>{when(m.createdAt)}</dd>
            <dt>importance · strength</dt>
            <dd>
              {m.importance.toFixed(2)} · {m.strength.toFixed(2)} (recalled {m.accessCount}×)
            </dd>
            {Object.keys(m.metadata).length > 0 ? (
              <>
                <dt>metadata</dt>
                <dd>
                  <pre class="json">{JSON.stringify(m.metadata, null, 2)}</pre>
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <div>
          <h2>History</h2>
          <History entries={history} />
        </div>
      </div>
    </section>
  );
}
