import type { Memory } from '../../core/types.js';
import { type LlmEntity, recognizeWithLlm } from '../../entities/llm-mentions.js';
import { recognizeEntities } from '../../entities/recognize.js';
import type { EntityMention } from '../../entities/types.js';
import type { Store, StoredMention } from '../../store/types.js';

type Mentionable = Pick<Memory, 'text' | 'speaker' | 'role' | 'kind'>;

/** Who "I" is in a memory: its speaker, or nobody the user knows. */
function speakerOf(m: Mentionable): string | null {
  // The assistant's own turns are not about the assistant: its "I" names nobody the user knows.
  const speaker = m.role === 'assistant' ? null : (m.speaker ?? (m.role === 'user' ? 'user' : null));
  // A fact is written in the third person: its speaker is who stated it, not who it is about.
  return m.kind === 'fact' ? null : speaker;
}

/** The mentions of one memory: what the recogniser reads in it, with its speaker as "I". */
export function mentionsOf(m: Mentionable): EntityMention[] {
  return recognizeEntities(m.text, { speaker: speakerOf(m) });
}

/**
 * The mentions of a memory in the store's shape; `llm`, the entities a model named in it, are merged with
 * the rules' (src/entities/llm-mentions.ts).
 */
export function storedMentions(m: Mentionable, llm?: readonly LlmEntity[]): StoredMention[] {
  if (m.kind === 'summary') return [];
  const found = llm && llm.length > 0 ? recognizeWithLlm(m.text, speakerOf(m), llm) : mentionsOf(m);
  return found.map((e) => ({
    key: e.key,
    name: e.name,
    type: e.type,
    role: e.role,
    alias: e.alias ?? null,
  }));
}

/** Memories read per transaction by `scanOldMentions`. */
const SCAN_BATCH = 500;

/**
 * Gives the memories written before the store kept mentions (schema 2) theirs, as if they had been written now;
 * a page per transaction, so a stopped run resumes where it was. Returns how many memories it read.
 */
export async function scanOldMentions(store: Store, tenant: string): Promise<number> {
  let read = 0;
  for (;;) {
    const page = await store.unscannedMentions(tenant, SCAN_BATCH);
    if (page.length === 0) return read;
    await store.saveScannedMentions(
      tenant,
      page.map((memory) => ({ memory, mentions: storedMentions(memory) })),
    );
    read += page.length;
  }
}
