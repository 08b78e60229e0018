/**
 * The score breakdown of a search hit as small horizontal bars. Each signal is scaled against the largest
 * value of that signal among all hits of the query, so bars compare across hits.
 */
export interface Signal {
  name: string;
  value: number;
  detail?: string;
}

/** Numeric signals of an `explain` object, nested ones flattened ("bm25" → its score, rank as detail). */
export function signalsOf(explain: Record<string, unknown> | undefined): { bars: Signal[]; notes: string[] } {
  const bars: Signal[] = [];
  const notes: string[] = [];
  if (!explain) return { bars, notes };
  for (const [name, v] of Object.entries(explain)) {
    if (typeof v === 'number' && Number.isFinite(v)) bars.push({ name, value: v });
    else if (v && typeof v === 'object' && typeof (v as { score?: unknown }).score === 'number') {
      const o = v as { score: number; rank?: number };
      bars.push({ name, value: o.score, detail: o.rank !== undefined ? `rank ${o.rank}` : undefined });
    } else if (typeof v === 'string' || typeof v === 'boolean') notes.push(`${name}: ${v}`);
  }
  return { bars, notes };
}

export function Bars({ signals, max }: { signals: Signal[]; max: Record<string, number> }) {
  return (
    <dl class="bars">
      {signals.map((s) => {
        const m = max[s.name] ?? 0;
        const pct = m > 0 ? Math.max(0, Math.min(100, (s.value / m) * 100)) : 0;
        return (
          <div class={`bar-row signal-${s.name}`} key={s.name}>
            <dt>{s.name}</dt>
            <dd>
              <span class="bar-track" aria-hidden="true">
                <span class="bar-fill" style={{ width: `${pct}%` }} />
              </span>
              <span class="bar-value">
                {s.value.toFixed(3)}
                {s.detail ? ` · ${s.detail}` : ''}
              </span>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

export function maxBySignal(all: Signal[][]): Record<string, number> {
  const max: Record<string, number> = {};
  for (const list of all) for (const s of list) max[s.name] = Math.max(max[s.name] ?? 0, Math.abs(s.value));
  return max;
}
