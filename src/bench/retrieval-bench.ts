/**
 * `engram bench locomo|longmemeval` without the CLI: builds Engram and (with peers) Orama and MiniSearch
 * over one shared embedder, runs each on the same corpora and questions, and assembles the report.
 */
import type { Embedder } from '../embed/types.js';
import type { Reranker } from '../rerank/types.js';
import { metricPlan } from './metrics.js';
import { type RetrievalReport, retrievalReport } from './retrieval-report.js';
import { type RunProgress, runRetrieval, type SystemResult } from './retrieval-runner.js';
import {
  EngramSystem,
  type EngramSystemOptions,
  type OpenEngram,
  type SearchMode,
} from './systems/engram.js';
import { miniSearchPeer } from './systems/minisearch.js';
import { oramaPeer } from './systems/orama.js';
import { PeerSystem } from './systems/peer.js';
import type { LoadedDataset, RetrievalSystem } from './types.js';

export interface RetrievalBenchOptions {
  open: OpenEngram;
  /** Extra cut-offs beyond the always reported 5, 10 and 20. */
  ks?: number[];
  peers?: boolean;
  /** "glove" (default) or "none" (BM25 only), or a ready embedder (closed by the caller). */
  embedder?: 'glove' | 'none' | Embedder;
  /** Engram's reranker (peers have none). Closed by the caller. */
  reranker?: Reranker;
  mode?: SearchMode;
  fusion?: 'rrf' | 'score';
  ingest?: EngramSystemOptions['ingest'];
  storage?: EngramSystemOptions['storage'];
  /** Token budgets for `contextRecall@<budget>` (Engram's buildContext). */
  contextBudgets?: number[];
  /** Run maintenance this many days after each conversation's last turn, before its questions. */
  maintainAfterDays?: number;
  postgres?: string;
  onProgress?: RunProgress;
}

export async function runRetrievalBench(
  data: LoadedDataset,
  options: RetrievalBenchOptions,
): Promise<RetrievalReport> {
  const plan = metricPlan(options.ks, options.contextBudgets);
  const choice = options.embedder ?? 'glove';
  let embedder: Embedder | null = null;
  let owned = false;
  if (choice === 'glove') {
    const { createGloveEmbedder } = await import('../embed/glove.js');
    embedder = await createGloveEmbedder();
    owned = true;
  } else if (choice !== 'none') {
    embedder = choice;
  }
  try {
    const engram = new EngramSystem({
      open: options.open,
      embedder: embedder ?? 'none',
      ...(options.reranker ? { reranker: options.reranker } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.fusion ? { retrieval: { fusion: options.fusion } } : {}),
      ...(options.ingest ? { ingest: options.ingest } : {}),
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.maintainAfterDays !== undefined ? { maintainAfterDays: options.maintainAfterDays } : {}),
      ...(options.postgres ? { postgres: options.postgres } : {}),
    });
    const peers: RetrievalSystem[] = [];
    if (options.peers) {
      peers.push(new PeerSystem(oramaPeer({ mode: 'bm25' })));
      if (embedder) peers.push(new PeerSystem(oramaPeer({ mode: 'hybrid', embedder })));
      peers.push(new PeerSystem(miniSearchPeer()));
    }
    const results: SystemResult[] = [];
    for (const system of [engram, ...peers])
      results.push(await runRetrieval(system, data, plan, options.onProgress));
    return retrievalReport(data, results[0]!, results.slice(1));
  } finally {
    if (owned) await embedder?.close?.();
  }
}
