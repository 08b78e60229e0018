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
  /** How people read it: "30 Mar 2024", "week of 10 Jun 2024", "Jun 2024". */
  label: string;
  /** First day (YYYY-MM-DD) and the day after the last one, when known. */
  start: string;
  end?: string;
  /** The words it was resolved from ("last Saturday"), when the API gives them. */
  text?: string;
}

const monthYear = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', timeZone: 'UTC' });

function dayBefore(isoDay: string): string {
  const d = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** An event range of the API ({ text, start, end (exclusive), granularity }), or a bare date. */
function toEventTime(v: unknown, granularityHint?: unknown): EventTime | null {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const start = v.slice(0, 10);
    const label =
      granularityHint === 'week'
        ? `week of ${day(start)}`
        : granularityHint === 'month'
          ? monthYear.format(new Date(`${start}T00:00:00Z`))
          : day(start);
    return { label, start };
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.start !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(o.start)) return null;
  const start = o.start.slice(0, 10);
  const end = typeof o.end === 'string' ? o.end.slice(0, 10) : undefined;
  const last = end ? dayBefore(end) : start;
  let label: string;
  switch (o.granularity) {
    case 'week':
      label = `week of ${day(start)}`;
      break;
    case 'month':
      label = monthYear.format(new Date(`${start}T00:00:00Z`));
      break;
    case 'year':
      label = start.slice(0, 4);
      break;
    default:
      label = last > start ? `${day(start)} – ${day(last)}` : day(start);
  }
  return { label, start, end, text: typeof o.text === 'string' ? o.text : undefined };
}

/**
 * When the things a memory talks about happened, as far as the API says: `eventTimes` on the memory (or its
 * search hit) when the server provides them, else a fact's `eventDate` metadata. Empty when none is known.
 */
export function eventTimes(m: Memory, extra?: unknown): EventTime[] {
  const out: EventTime[] = [];
  const push = (e: EventTime | null) => {
    if (e && !out.some((x) => x.label === e.label)) out.push(e);
  };
  for (const source of [extra, (m as Memory & { eventTimes?: unknown }).eventTimes]) {
    if (Array.isArray(source)) for (const e of source) push(toEventTime(e));
  }
  if (out.length === 0) push(toEventTime(m.metadata.eventDate, m.metadata.dateGranularity));
  return out;
}

/** Event times that do not cover the day the memory was said. */
export function distinctEventTimes(m: Memory, saidAt: string, extra?: unknown): EventTime[] {
  const said = saidAt.slice(0, 10);
  return eventTimes(m, extra).filter((e) => (e.end ? !(said >= e.start && said < e.end) : e.start !== said));
}

export function sourceIds(m: Memory): string[] {
  const ids = m.metadata.sourceIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}
