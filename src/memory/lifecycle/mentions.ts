import type { Memory } from '../../core/types.js';
import { recognizeEntities } from '../../entities/recognize.js';
import type { EntityMention } from '../../entities/types.js';
import type { StoredMention } from '../../store/types.js';

/** The mentions of one memory: what the recogniser reads in it, with its speaker as "I". */
export function mentionsOf(m: Pick<Memory, 'text' | 'speaker' | 'role' | 'kind'>): EntityMention[] {
  // The assistant's own turns are not about the assistant: its "I" names nobody the user knows.
  const speaker = m.role === 'assistant' ? null : (m.speaker ?? (m.role === 'user' ? 'user' : null));
  // A fact is written in the third person: its speaker is who stated it, not who it is about.
  return recognizeEntities(m.text, { speaker: m.kind === 'fact' ? null : speaker });
}

/** The mentions of a memory in the store's shape. */
export function storedMentions(m: Pick<Memory, 'text' | 'speaker' | 'role' | 'kind'>): StoredMention[] {
  if (m.kind === 'summary') return [];
  return mentionsOf(m).map((e) => ({
    key: e.key,
    name: e.name,
    type: e.type,
    role: e.role,
    alias: e.alias ?? null,
  }));
}
