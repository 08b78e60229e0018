/**
 * Two hand-written SVG charts for bench reports: grouped bars (recall@k per system) and lines (latency vs
 * size). No dependencies, fixed layout, text in a system font stack so it renders the same in browsers,
 * GitHub and rsvg.
 */

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChartInput {
  title: string;
  subtitle?: string;
  groups: string[];
  series: BarSeries[];
  /** Values are fractions shown as percentages. */
  percent?: boolean;
}

export type LineStyle = 'solid' | 'dashed' | 'dotted';

export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
  /** Default: the palette colour of the series' index. */
  color?: string;
  style?: LineStyle;
}

const DASH: Record<LineStyle, string> = {
  solid: '',
  dashed: ' stroke-dasharray="7 4"',
  dotted: ' stroke-dasharray="2 3"',
};

export interface LineChartInput {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logX?: boolean;
  logY?: boolean;
}

/** Engram first in a strong blue; peers in distinct but quieter hues (colour-blind safe, Okabe–Ito based). */
export const PALETTE = [
  '#1f5fbf',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#7f7f7f',
  '#f0e442',
];

const FONT = 'font-family="system-ui, -apple-system, \'Segoe UI\', Helvetica, Arial, sans-serif"';
const INK = '#1d2433';
const MUTED = '#5b6475';
const GRID = '#e3e7ee';

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

function header(width: number, height: number, title: string, subtitle?: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="24" y="34" font-size="18" font-weight="600" fill="${INK}">${escapeXml(title)}</text>`,
    subtitle ? `<text x="24" y="56" font-size="12.5" fill="${MUTED}">${escapeXml(subtitle)}</text>` : '',
  ];
}

interface LegendEntry {
  name: string;
  color: string;
  /** Line swatch in this style; a filled square when absent. */
  style?: LineStyle;
}

function legendWidth(entry: LegendEntry): number {
  return (entry.style ? 36 : 22) + entry.name.length * 7.4 + 20;
}

/** Rows of legend entries that fit `maxWidth`. */
function legendRows(entries: LegendEntry[], maxWidth: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [[]];
  let used = 0;
  for (const e of entries) {
    const w = legendWidth(e);
    if (used + w > maxWidth && rows[rows.length - 1]!.length > 0) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1]!.push(e);
    used += w;
  }
  return rows;
}

function legend(rows: LegendEntry[][], x: number, y: number): string[] {
  const out: string[] = [];
  rows.forEach((row, r) => {
    let cx = x;
    const cy = y + r * 20;
    for (const e of row) {
      const swatch = e.style ? 28 : 14;
      out.push(
        e.style
          ? `<line x1="${cx}" y1="${cy - 4}" x2="${cx + swatch}" y2="${cy - 4}" stroke="${e.color}" stroke-width="2.5"${DASH[e.style]}/>`
          : `<rect x="${cx}" y="${cy - 10}" width="14" height="12" rx="2" fill="${e.color}"/>`,
        `<text x="${cx + swatch + 7}" y="${cy}" font-size="12.5" fill="${INK}">${escapeXml(e.name)}</text>`,
      );
      cx += legendWidth(e);
    }
  });
  return out;
}

/** Grouped vertical bars with value labels; the y axis runs 0–100 % (or 0 to a rounded maximum). */
export function barChart(input: BarChartInput): string {
  const width = 760;
  const height = 430;
  const left = 64;
  const right = 24;
  const top = input.subtitle ? 100 : 84;
  const bottom = 56;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = input.percent ? 1 : niceMax(Math.max(0, ...input.series.flatMap((s) => s.values)));
  const out = header(width, height, input.title, input.subtitle);
  const entries = input.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length]! }));
  out.push(...legend(legendRows(entries, plotW), left, top - 22));
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks;
    const y = top + plotH - (plotH * i) / ticks;
    out.push(
      `<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="${i === 0 ? '#9aa3b2' : GRID}" stroke-width="1"/>`,
      `<text x="${left - 8}" y="${y + 4}" font-size="11.5" fill="${MUTED}" text-anchor="end">${input.percent ? `${Math.round(v * 100)}%` : fmt(v)}</text>`,
    );
  }
  const groupW = plotW / Math.max(1, input.groups.length);
  const n = Math.max(1, input.series.length);
  const barW = Math.min(44, (groupW * 0.78) / n);
  const gap = 3;
  input.groups.forEach((group, g) => {
    const span = n * barW + (n - 1) * gap;
    const x0 = left + g * groupW + (groupW - span) / 2;
    input.series.forEach((s, i) => {
      const v = s.values[g];
      if (v === undefined || !Number.isFinite(v)) return;
      const h = (plotH * Math.min(v, max)) / max;
      const x = x0 + i * (barW + gap);
      const y = top + plotH - h;
      const label = input.percent ? `${(v * 100).toFixed(1)}` : fmt(v);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" rx="2" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeXml(`${s.name} ${group}: ${label}${input.percent ? '%' : ''}`)}</title></rect>`,
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 5).toFixed(1)}" font-size="${barW < 26 ? 9.5 : 11}" fill="${INK}" text-anchor="middle">${label}</text>`,
      );
    });
    out.push(
      `<text x="${(left + g * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 22}" font-size="12.5" fill="${INK}" text-anchor="middle">${escapeXml(group)}</text>`,
    );
  });
  out.push('</svg>');
  return out.filter(Boolean).join('\n');
}

/** Lines with markers over a (log) x axis; the y axis is linear from 0 unless `logY`. */
export function lineChart(input: LineChartInput): string {
  const width = 760;
  const height = 460;
  const left = 72;
  const right = 24;
  const colorOf = (s: LineSeries, i: number) => s.color ?? PALETTE[i % PALETTE.length]!;
  const entries = input.series.map((s, i) => ({
    name: s.name,
    color: colorOf(s, i),
    style: s.style ?? 'solid',
  }));
  const rows = legendRows(entries, width - left - right);
  const top = (input.subtitle ? 100 : 84) + (rows.length - 1) * 20;
  const bottom = 64;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const points = input.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && p.y > 0);
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const xMin = xs[0] ?? 1;
  const xMax = xs[xs.length - 1] ?? 10;
  const yMaxRaw = Math.max(...points.map((p) => p.y), 0);
  const yMinRaw = Math.min(...points.map((p) => p.y), yMaxRaw);
  const logY = input.logY ?? false;
  const yTicks = logY ? logTicks(yMinRaw, yMaxRaw) : linearTicks(niceMax(yMaxRaw));
  const yLo = logY ? yTicks[0]! : 0;
  const yHi = yTicks[yTicks.length - 1]!;
  const sx = (x: number) => {
    if (xMax === xMin) return left + plotW / 2;
    const t = input.logX ? Math.log(x / xMin) / Math.log(xMax / xMin) : (x - xMin) / (xMax - xMin);
    return left + 30 + t * (plotW - 60);
  };
  const sy = (y: number) => {
    const t = logY ? Math.log(y / yLo) / Math.log(yHi / yLo) : (y - yLo) / (yHi - yLo);
    return top + plotH - t * plotH;
  };
  const out = header(width, height, input.title, input.subtitle);
  out.push(...legend(rows, left, top - 22 - (rows.length - 1) * 20));
  for (const v of yTicks) {
    const y = sy(v);
    out.push(
      `<line x1="${left}" y1="${y.toFixed(1)}" x2="${left + plotW}" y2="${y.toFixed(1)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${left - 8}" y="${(y + 4).toFixed(1)}" font-size="11.5" fill="${MUTED}" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  out.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#9aa3b2" stroke-width="1"/>`,
  );
  for (const x of xs) {
    out.push(
      `<line x1="${sx(x).toFixed(1)}" y1="${top + plotH}" x2="${sx(x).toFixed(1)}" y2="${top + plotH + 5}" stroke="#9aa3b2"/>`,
      `<text x="${sx(x).toFixed(1)}" y="${top + plotH + 20}" font-size="12" fill="${INK}" text-anchor="middle">${escapeXml(compactNumber(x))}</text>`,
    );
  }
  out.push(
    `<text x="${left + plotW / 2}" y="${height - 18}" font-size="12.5" fill="${MUTED}" text-anchor="middle">${escapeXml(input.xLabel)}</text>`,
    `<text x="18" y="${top + plotH / 2}" font-size="12.5" fill="${MUTED}" text-anchor="middle" transform="rotate(-90 18 ${top + plotH / 2})">${escapeXml(input.yLabel)}</text>`,
  );
  input.series.forEach((s, i) => {
    const color = colorOf(s, i);
    const pts = s.points.filter((p) => Number.isFinite(p.y) && p.y > 0).sort((a, b) => a.x - b.x);
    if (pts.length === 0) return;
    const d = pts
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
      .join(' ');
    out.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"${DASH[s.style ?? 'solid']}/>`,
    );
    for (const p of pts) {
      out.push(
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="#ffffff" stroke="${color}" stroke-width="2.2"><title>${escapeXml(`${s.name} at ${compactNumber(p.x)}: ${fmt(p.y)}`)}</title></circle>`,
      );
    }
  });
  out.push('</svg>');
  return out.filter(Boolean).join('\n');
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `v`. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function linearTicks(max: number): number[] {
  return [0, 1, 2, 3, 4, 5].map((i) => (max * i) / 5);
}

function logTicks(min: number, max: number): number[] {
  const lo = 10 ** Math.floor(Math.log10(Math.max(min, 1e-6)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(max, lo * 10)));
  const out: number[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) out.push(v);
  return out;
}

export function compactNumber(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}
