/**
 * A user's sessions, newest first. Each session shows its turns in the order they were said, with the facts
 * Engram extracted from each turn right under it: what it knows, and where from.
 */
import { useState } from 'preact/hooks';
import { api, type Memory, type SessionSummary } from '../api.js';
import { EventTimes, KindBadge, MemoryText, StateBadges } from '../components/memory.js';
import { Empty, ErrorBox, Loading } from '../components/states.js';
import { day, plural, sourceIds, when } from '../format.js';
import { useLoad } from '../load.js';
import { href } from '../router.js';
import { UserHeader } from './user-header.js';

const byTime = (a: Memory, b: Memory) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id);

async function sessionMemories(user: string, session: string | null): Promise<Memory[]> {
  const all = await api.listAll({
    user,
    session: session ?? undefined,
    includeSuperseded: true,
    includeArchived: true,
  });
  return session === null ? all.filter((m) => m.session === null) : all;
}

function FactLine({ fact, saidAt }: { fact: Memory; saidAt: string }) {
  return (
    <li class={`fact-line ${fact.validTo !== null || fact.status !== 'active' ? 'inactive' : ''}`}>
      <KindBadge kind={fact.kind} />
      <a href={href({ view: 'memory', id: fact.id })}>{fact.text}</a>
      <StateBadges m={fact} />
      <EventTimes m={fact} saidAt={saidAt} />
    </li>
  );
}

function SessionBody({ user, session }: { user: string; session: string | null }) {
  const memories = useLoad(() => sessionMemories(user, session), [user, session]);
  if (memories.state === 'error') return <ErrorBox error={memories.error} retry={memories.reload} />;
  if (!memories.data) return <Loading rows={3} label="Loading the session" />;
  const all = memories.data;
  const turns = all.filter((m) => m.kind === 'turn').sort(byTime);
  const turnIds = new Set(turns.map((t) => t.id));
  const derived = new Map<string, Memory[]>();
  const loose: Memory[] = [];
  for (const m of all) {
    if (m.kind === 'turn') continue;
    const from = sourceIds(m).filter((id) => turnIds.has(id));
    if (m.kind === 'fact' && from.length > 0) {
      // Listed under the first turn that said it; later restatements are in its details.
      const list = derived.get(from[0]) ?? [];
      list.push(m);
      derived.set(from[0], list);
    } else loose.push(m);
  }
  loose.sort(byTime);
  return (
    <div class="session-body">
      {loose.length > 0 ? (
        <ul class="loose">
          {loose.map((m) => (
            <FactLine key={m.id} fact={m} saidAt={m.validFrom} />
          ))}
        </ul>
      ) : null}
      {turns.length > 0 ? (
        <ol class="turns">
          {turns.map((t) => (
            <li key={t.id} class={`turn ${t.role === 'assistant' ? 'assistant' : ''}`}>
              <div class="turn-head">
                <span class="speaker">{t.speaker ?? t.role ?? 'unknown'}</span>
                <time dateTime={t.occurredAt}>{when(t.occurredAt)}</time>
                <StateBadges m={t} />
                <a
                  class="turn-link"
                  href={href({ view: 'memory', id: t.id })}
                  aria-label={`Details of the turn by ${t.speaker ?? 'unknown'}`}
                >
                  details
                </a>
              </div>
              <MemoryText text={t.text} />
              {derived.get(t.id) ? (
                <ul class="derived" aria-label="Facts extracted from this turn">
                  {derived.get(t.id)!.map((f) => (
                    <FactLine key={f.id} fact={f} saidAt={t.occurredAt} />
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {all.length === 0 ? <Empty title="Nothing left in this session." /> : null}
    </div>
  );
}

function SessionBlock({ user, s, open }: { user: string; s: SessionSummary; open: boolean }) {
  const [shown, setShown] = useState(open);
  const counts = Object.entries(s.byKind)
    .map(([k, n]) => plural(n, k, k === 'summary' ? 'summaries' : `${k}s`))
    .join(' · ');
  const span = day(s.from) === day(s.to) ? day(s.to) : `${day(s.from)} – ${day(s.to)}`;
  return (
    <details
      class="card session"
      open={open}
      onToggle={(e) => setShown((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        <span class="session-name">{s.session ?? 'Outside any session (notes)'}</span>
        <span class="session-meta">
          {span} · {counts}
        </span>
      </summary>
      {shown ? <SessionBody user={user} session={s.session} /> : null}
    </details>
  );
}

/** Conversations newest first; memories stored outside any session (notes) after them. */
function ordered(sessions: SessionSummary[]): SessionSummary[] {
  return [...sessions.filter((s) => s.session !== null), ...sessions.filter((s) => s.session === null)];
}

export function TimelineView({ user }: { user: string }) {
  const sessions = useLoad(() => api.sessions(user), [user]);
  return (
    <section>
      <UserHeader user={user} current="timeline" />
      {sessions.state === 'error' ? <ErrorBox error={sessions.error} retry={sessions.reload} /> : null}
      {sessions.state === 'loading' && !sessions.data ? <Loading rows={4} label="Loading sessions" /> : null}
      {sessions.data ? (
        sessions.data.sessions.length === 0 ? (
          <Empty title="No sessions." />
        ) : (
          <div class="sessions">
            {ordered(sessions.data.sessions).map((s, i) => (
              <SessionBlock key={s.session ?? ''} user={user} s={s} open={i === 0} />
            ))}
          </div>
        )
      ) : null}
    </section>
  );
}
