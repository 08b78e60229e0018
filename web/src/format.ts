/** Dates and event times as people read them. */
import type { Memory } from './api.js';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${dateTime.format(d)} UTC`;
}

export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export interface EventTime {
  label: string;
  /** ISO date or date-time, or a free-form description when the API gives one. */
  value: string;
}

function asText(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const start = asText(o.start ?? o.from ?? o.at ?? o.date);
    const end = asText(o.end ?? o.to);
    if (start && end && end !== start) return `${start} – ${end}`;
    return start ?? asText(o.text);
  }
  return null;
}

/**
 * When the things a memory talks about happened, as far as the API says: event fields on the memory when the
 * server provides them (eventTimes, eventAt), else the fact's metadata (eventDate). Empty when none is known.
 */
export function eventTimes(m: Memory): EventTime[] {
  const loose = m as Memory & Record<string, unknown>;
  const out: EventTime[] = [];
  const push = (label: string, v: unknown) => {
    const value = asText(v);
    if (value && !out.some((e) => e.value === value)) out.push({ label, value });
  };
  for (const source of [loose.eventTimes, m.metadata.eventTimes]) {
    if (Array.isArray(source)) for (const e of source) push('event', e);
  }
  push('event', loose.eventAt ?? loose.eventTime ?? loose.event);
  push('event', m.metadata.eventDate);
  return out;
}

/** Event times that fall on another day than the one the memory was said. */
export function distinctEventTimes(m: Memory, saidAt: string): EventTime[] {
  const said = saidAt.slice(0, 10);
  return eventTimes(m).filter((e) => !e.value.startsWith(said));
}

export function sourceIds(m: Memory): string[] {
  const ids = m.metadata.sourceIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}
