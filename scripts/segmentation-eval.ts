// Chinese word segmentation compared on MemoryBank's Chinese questions (docs/text-analysis.md).
//
// Usage: node --import tsx scripts/segmentation-eval.ts [dir]   (needs `npm install --no-save @node-rs/jieba`)
//   MODE=bm25|hybrid (default: both)
//
// Each splitter re-cuts the Han segments of Intl.Segmenter before analysis (bigrams and unigrams stay on, as in
// the default analyzer); every user is re-ingested per splitter, since the index terms change.
import { scorePairs } from '../src/bench/memorybank-bench.js';
import { loadMemoryBank } from '../src/bench/memorybank-dataset.js';
import { meanMetrics } from '../src/bench/metrics.js';
import { hitDialogIds, turnInput } from '../src/bench/systems/engram.js';
import { open } from '../src/index.js';
import { setCjkWordSplitter } from '../src/text/segment.js';

const dir = process.argv[2] ?? '../shared/data/memorybank';
const data = loadMemoryBank(dir, 'cn');
const { Jieba } = await import('@node-rs/jieba' as string);
const { dict } = await import('@node-rs/jieba/dict' as string);
const jieba = Jieba.withDict(dict);
const splitters: Record<string, ((text: string) => string[]) | null> = {
  'intl-segmenter': null,
  'jieba-search': (t) => jieba.cutForSearch(t, true),
  'jieba-precise': (t) => jieba.cut(t, true),
  characters: (t) => Array.from(t),
};
const modes = process.env.MODE ? [process.env.MODE] : ['bm25', 'hybrid'];
for (const [name, splitter] of Object.entries(splitters)) {
  setCjkWordSplitter(splitter);
  for (const mode of modes) {
    const scores = [];
    for (const corpus of data.corpora) {
      const engram = await open({ path: ':memory:' });
      await engram.addMany(corpus.docs.map((d) => turnInput(corpus.user, d)));
      for (const q of corpus.questions) {
        const hits = await engram.search(q.question, {
          user: corpus.user,
          k: 40,
          now: q.now,
          reinforce: false,
          mode: mode as 'bm25' | 'hybrid',
        });
        scores.push(scorePairs(hitDialogIds(hits, 40), q.evidenceTurns));
      }
      await engram.close();
    }
    const m = meanMetrics(scores, ['pairHit@1', 'pairRecall@5', 'pairRecall@10']);
    console.log(
      `${name.padEnd(15)} ${mode.padEnd(7)} n=${scores.length} ${Object.entries(m)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join('  ')}`,
    );
  }
}
setCjkWordSplitter(null);
