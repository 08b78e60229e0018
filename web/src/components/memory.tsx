/** How one memory looks everywhere: its text (always as text, never as HTML), who said it, when, and state. */
import type { ComponentChildren } from 'preact';
import type { Memory } from '../api.js';
import { day, distinctEventTimes, when } from '../format.js';
import { href } from '../router.js';

export function KindBadge({ kind }: { kind: string }) {
  return <span class={`badge kind-${kind}`}>{kind}</span>;
}

export function StateBadges({ m }: { m: Memory }) {
  return (
    <>
      {m.validTo !== null ? <span class="badge state-superseded">superseded</span> : null}
      {m.status !== 'active' ? <span class={`badge state-${m.status}`}>{m.status}</span> : null}
    </>
  );
}

export function EventTimes({ m, saidAt, extra }: { m: Memory; saidAt: string; extra?: unknown }) {
  const events = distinctEventTimes(m, saidAt, extra);
  if (events.length === 0) return null;
  const words = events.map((e) => e.text).filter(Boolean);
  return (
    <span
      class="event"
      title={`When it happened, as opposed to when it was said${words.length > 0 ? ` (“${words.join('”, “')}”)` : ''}`}
    >
      event {events.map((e) => e.label).join(', ')}
    </span>
  );
}

function saidAt(m: Memory): string {
  return m.kind === 'fact' ? m.validFrom : m.occurredAt;
}

export function MemoryMeta({
  m,
  showSession = true,
  events,
}: {
  m: Memory;
  showSession?: boolean;
  /** Event times given beside the memory (a search hit's). */
  events?: unknown;
}) {
  return (
    <div class="meta">
      <KindBadge kind={m.kind} />
      <StateBadges m={m} />
      {m.speaker ? <span class="speaker">{m.speaker}</span> : null}
      {/* A fact about an event is filed at the event's date; show when it was said, and the event apart. */}
      <time dateTime={saidAt(m)} title={m.kind === 'fact' ? 'When it was said' : undefined}>
        {when(saidAt(m))}
      </time>
      <EventTimes m={m} saidAt={saidAt(m)} extra={events} />
      {showSession && m.session ? <span class="session">session {m.session}</span> : null}
    </div>
  );
}

export function MemoryText({ text }: { text: string }) {
  // Preact sets text nodes, so markup in a memory shows as characters.
  return <p class="memory-text">{text}</p>;
}

export function MemoryCard({
  m,
  children,
  link = true,
  events,
}: {
  m: Memory;
  children?: ComponentChildren;
  link?: boolean;
  /** Event times given beside the memory (a search hit's). */
  events?: unknown;
}) {
  return (
    <article class={`card memory ${m.validTo !== null || m.status !== 'active' ? 'inactive' : ''}`}>
      <MemoryText text={m.text} />
      <MemoryMeta m={m} events={events} />
      {children}
      {link ? (
        <a class="more" href={href({ view: 'memory', id: m.id })} aria-label={`Details of ${m.kind} ${m.id}`}>
          Details, sources and history →
        </a>
      ) : null}
    </article>
  );
}

export function ShortDate({ iso }: { iso: string | null }) {
  return <time dateTime={iso ?? undefined}>{day(iso)}</time>;
}
