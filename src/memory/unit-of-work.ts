import type { HistoryAction, Memory } from '../core/types.js';
import type { LlmEntity } from '../entities/llm-mentions.js';
import type { Store, StoredVector, WriteOp } from '../store/types.js';
import { storedMentions } from './lifecycle/mentions.js';

/** Characters of text recognised between two turns of the event loop. */
const RECOGNISE_SLICE = 8_000;

/**
 * The writes of one engine operation, collected while it plans and committed with one `Store.apply`, so that
 * a crash or an error leaves all of them or none. Reads through `getMany` see the writes planned so far.
 * Embeddings are computed when memories are added here, before anything is written: no transaction is held
 * open across an embedder or LLM call.
 */
export class UnitOfWork {
  private ops: WriteOp[] = [];
  /** The state each planned write leaves a memory in; null = erased. */
  private readonly planned = new Map<string, Memory | null>();

  constructor(
    private readonly store: Store,
    readonly tenant: string,
    private readonly actor: string,
    private readonly embed: (memories: Memory[]) => Promise<Map<string, StoredVector>>,
    /** Analyses the texts about to be indexed ahead of the transaction, yielding between slices. */
    private readonly prewarm: (texts: string[]) => Promise<void> = async () => {},
  ) {}

  /** Embeds prepared memories (setting embeddingModel) and plans their insertion with `add` history. */
  async insert(memories: Memory[]): Promise<Memory[]> {
    const vectors = await this.embed(memories);
    let recognised = 0;
    for (const m of memories) {
      // Recognising entities costs about a millisecond per thousand characters: a turn of the event loop
      // between slices keeps a large batch from holding it (other requests wait otherwise).
      recognised += m.text.length;
      if (recognised >= RECOGNISE_SLICE) {
        recognised = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const vector = vectors.get(m.id);
      this.ops.push({
        op: 'insert',
        memory: m,
        ...(vector ? { vector } : {}),
        change: { action: 'add', actor: this.actor },
        // Who and what the memory mentions, stored with it in the same transaction.
        mentions: storedMentions(m),
      });
      this.planned.set(m.id, m);
    }
    return memories;
  }

  /**
   * Plans replacing a memory's fields (history before/after); `vector` as in WriteOp `replace`; `entities`,
   * those an LLM named in it, join the rules' mentions.
   */
  replace(
    memory: Memory,
    action: HistoryAction,
    vector?: StoredVector | null,
    entities?: readonly LlmEntity[],
  ): Memory {
    this.ops.push({
      op: 'replace',
      memory,
      ...(vector !== undefined ? { vector } : {}),
      change: { action, actor: this.actor },
      mentions: storedMentions(memory, entities),
    });
    this.planned.set(memory.id, memory);
    return memory;
  }

  erase(id: string): void {
    this.ops.push({ op: 'erase', id, actor: this.actor });
    this.planned.set(id, null);
  }

  /** Memories by id as they will be once this unit commits, in the order of `ids`. */
  async getMany(ids: string[]): Promise<Memory[]> {
    const unplanned = ids.filter((id) => !this.planned.has(id));
    const stored = new Map((await this.store.getMany(this.tenant, unplanned)).map((m) => [m.id, m]));
    const out: Memory[] = [];
    for (const id of ids) {
      const m = this.planned.has(id) ? this.planned.get(id) : stored.get(id);
      if (m) out.push(m);
    }
    return out;
  }

  get pending(): number {
    return this.ops.length;
  }

  /** Writes everything planned in one transaction; the unit is empty (and reusable) afterwards. */
  async commit(): Promise<void> {
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    this.planned.clear();
    await this.prewarm(ops.flatMap((op) => (op.op === 'erase' ? [] : [op.memory.text])));
    await this.store.apply({ tenant: this.tenant, ops });
  }
}
