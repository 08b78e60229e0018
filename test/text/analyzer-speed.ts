/**
 * Throughput of the analyzer (not a test: timings depend on the machine). Run with
 *   node --import tsx test/text/analyzer-speed.ts
 */
import { analyze, analyzeQuery } from '../../src/text/analyzer.js';
import { parseTimeExpressions } from '../../src/text/time.js';

const SAMPLES: [string, string][] = [
  [
    'English, 30 words, ASCII',
    'Caroline said she went to the LGBTQ support group last Saturday and it was really powerful, ' +
      "she's now thinking about counseling as a career because the stories moved her so much.",
  ],
  [
    'English, 20 words, curly quotes + accent',
    'Caroline’s friend didn’t go to the café on May 7th, 2023 — she stayed home with Oscar her guinea pig.',
  ],
  [
    'Chinese, 40 characters',
    '我上周六去了北京，和朋友一起吃了烤鸭，然后去看了故宫。我对青霉素过敏，所以要小心。',
  ],
];

function measure(label: string, fn: () => void): void {
  for (let i = 0; i < 2_000; i++) fn();
  const runs = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const micros = ((performance.now() - t0) * 1000) / runs;
  console.log(
    `${label.padEnd(58)} ${micros.toFixed(1).padStart(6)} µs/call  ${Math.round(1e6 / micros)} calls/s`,
  );
}

for (const [label, text] of SAMPLES) {
  measure(`analyze: ${label}`, () => analyze(text));
  measure(`analyzeQuery: ${label}`, () => analyzeQuery(text));
}
const now = new Date('2023-05-25T12:00:00Z');
for (const [label, text] of SAMPLES)
  measure(`parseTimeExpressions: ${label}`, () => parseTimeExpressions(text, now));
