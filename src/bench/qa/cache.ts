import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage, ChatOptions, LlmClient } from '../../llm/types.js';

/**
 * An LlmClient that remembers every answer on disk, keyed by the hash of the model id, the messages (the
 * prompt, the material and the question, so a prompt change is a new key) and the JSON flag. A rerun of the
 * same bench asks the model nothing.
 */
export interface CachedLlm extends LlmClient {
  readonly stats: { hits: number; misses: number };
}

export function chatCacheKey(model: string, messages: ChatMessage[], json: boolean): string {
  return createHash('sha256').update(JSON.stringify({ model, messages, json })).digest('hex');
}

export function cachedLlm(llm: LlmClient, dir: string): CachedLlm {
  mkdirSync(dir, { recursive: true });
  const stats = { hits: 0, misses: 0 };
  return {
    id: llm.id,
    stats,
    async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<string> {
      const key = chatCacheKey(llm.id, messages, options.json === true);
      const file = join(dir, `${key}.json`);
      try {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as { answer?: unknown };
        if (typeof entry.answer === 'string') {
          stats.hits++;
          return entry.answer;
        }
      } catch (e) {
        // A missing entry is the normal miss; anything else (a torn file) is asked again and rewritten.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
      }
      const answer = await llm.chat(messages, options);
      stats.misses++;
      // Write-then-rename, so an interrupted run never leaves half an entry behind.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ model: llm.id, answer }));
      renameSync(tmp, file);
      return answer;
    },
  };
}
