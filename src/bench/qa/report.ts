import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { QA_SYSTEMS, type QaReport, type QaScores } from './runner.js';

const pct = (x: number) => (x * 100).toFixed(1);

function row(label: string, system: string, s: QaScores): string {
  return `| ${label} | ${system} | ${s.questions} | ${pct(s.j)} | ${pct(s.f1)} | ${pct(s.bleu1)} |`;
}

/** The QA report as Markdown: J, F1 and BLEU-1 overall and by category, Engram beside the full context. */
export function qaMarkdown(report: QaReport): string {
  const categories = [...new Set(QA_SYSTEMS.flatMap((s) => Object.keys(report.systems[s].byCategory)))];
  const lines = [
    '# LoCoMo QA: answers from Engram vs the full conversation',
    '',
    `${report.questions} questions over ${report.conversations} conversations` +
      (report.skippedCategories.length ? ` (left out: ${report.skippedCategories.join(', ')})` : '') +
      '.',
    `Answer model \`${report.config.answerModel}\`, judge \`${report.config.judgeModel}\`, Engram context budget ` +
      `${report.config.budget} tokens, embedder \`${report.config.embedder}\`, prompts \`${report.config.promptsHash}\`` +
      ' (docs/bench.md).',
    '',
    '| Category | System | Questions | J % | F1 % | BLEU-1 % |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...QA_SYSTEMS.map((s) => row('**overall**', s, report.systems[s].overall)),
    ...categories.flatMap((c) =>
      QA_SYSTEMS.flatMap((s) => {
        const scores = report.systems[s].byCategory[c];
        return scores ? [row(c, s, scores)] : [];
      }),
    ),
    '',
    `Mean material per question: Engram ${report.systems.engram.meanContextTokens} tokens, full context ~${report.systems['full-context'].meanContextTokens} tokens.`,
  ];
  if (report.cache)
    lines.push(`LLM calls: ${report.cache.misses} sent, ${report.cache.hits} from the cache.`);
  return `${lines.join('\n')}\n`;
}

/** Writes `out` (Markdown) and the full report with every answer as JSON beside it; returns the paths. */
export function writeQaReport(out: string, report: QaReport): string[] {
  mkdirSync(dirname(out), { recursive: true });
  const json = out.replace(/\.md$/i, '') + '.json';
  writeFileSync(out, qaMarkdown(report));
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return [out, json];
}
