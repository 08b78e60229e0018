/**
 * `engram-memory/langchain`: Engram in LangChain.js (`@langchain/core` 1, an optional peer dependency).
 *
 * - `EngramRetriever`: a `BaseRetriever` over one user's memories (hybrid search), for chains and agents.
 * - `EngramChatMessageHistory`: a `BaseListChatMessageHistory` that keeps a session's messages as Engram
 *   conversation turns, so what was said is also searchable long-term memory (facts are derived from it).
 */
import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { Memory, MemoryKind } from '../core/types.js';
import type { Engram } from '../memory/types.js';

export interface EngramRetrieverInput extends BaseRetrieverInput {
  memory: Engram;
  user: string;
  agent?: string;
  /** Documents per query. Default 5. */
  k?: number;
  kind?: MemoryKind | MemoryKind[];
}

export class EngramRetriever extends BaseRetriever {
  lc_namespace = ['engram', 'retrievers'];
  private readonly memory: Engram;
  private readonly options: Omit<EngramRetrieverInput, keyof BaseRetrieverInput | 'memory'>;

  constructor(fields: EngramRetrieverInput) {
    super(fields);
    const { memory, user, agent, k, kind } = fields;
    this.memory = memory;
    this.options = {
      user,
      ...(agent !== undefined ? { agent } : {}),
      ...(k !== undefined ? { k } : {}),
      ...(kind !== undefined ? { kind } : {}),
    };
  }

  override async _getRelevantDocuments(query: string): Promise<DocumentInterface[]> {
    const hits = await this.memory.search(query, { ...this.options, k: this.options.k ?? 5 });
    return hits.map(
      (h) =>
        new Document({
          id: h.id,
          pageContent: h.text,
          metadata: {
            id: h.id,
            score: h.score,
            kind: h.kind,
            speaker: h.speaker,
            session: h.session,
            occurredAt: h.occurredAt,
          },
        }),
    );
  }
}

export interface EngramChatMessageHistoryInput {
  memory: Engram;
  user: string;
  session: string;
  agent?: string;
}

function roleOf(message: BaseMessage): 'user' | 'assistant' | 'system' {
  const type = message.getType();
  return type === 'ai' ? 'assistant' : type === 'system' ? 'system' : 'user';
}

export class EngramChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ['engram', 'chat_history'];
  private readonly fields: EngramChatMessageHistoryInput;

  constructor(fields: EngramChatMessageHistoryInput) {
    super(fields);
    this.fields = fields;
  }

  private async turns(): Promise<Memory[]> {
    const { memory, user, session, agent } = this.fields;
    const items: Memory[] = [];
    let cursor: string | null = null;
    do {
      const page = await memory.list({
        user,
        session,
        kind: 'turn',
        includeSuperseded: true,
        limit: 1000,
        ...(agent !== undefined ? { agent } : {}),
        ...(cursor ? { cursor } : {}),
      });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items.sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1,
    );
  }

  override async getMessages(): Promise<BaseMessage[]> {
    return (await this.turns()).map((t) =>
      t.role === 'assistant'
        ? new AIMessage({ content: t.text, id: t.id })
        : t.role === 'system'
          ? new SystemMessage({ content: t.text, id: t.id })
          : new HumanMessage({ content: t.text, id: t.id }),
    );
  }

  override async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /** One conversation write: the turns are stored, then facts are derived from them. */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    const { memory, user, session, agent } = this.fields;
    const base = Date.now();
    const stored = messages
      .map((m, i) => ({ role: roleOf(m), text: m.text, at: new Date(base + i) }))
      .filter((m) => m.text.trim() !== '');
    if (stored.length === 0) return;
    await memory.addConversation({
      user,
      session,
      messages: stored,
      ...(agent !== undefined ? { agent } : {}),
    });
  }

  /** Deletes the session's turns (soft: they stay in history, as `delete` does). */
  override async clear(): Promise<void> {
    for (const t of await this.turns()) if (t.status !== 'deleted') await this.fields.memory.delete(t.id);
  }
}
