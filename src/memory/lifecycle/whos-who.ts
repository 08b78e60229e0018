import { kinReferences, recognizeEntities } from '../../entities/recognize.js';
import { extractNames } from '../../text/names.js';
import type { EngineContext } from '../engine-context.js';

/**
 * The short "who's who" of a prompt context: for each person the query names or refers to through a
 * relation, who they are to whom ("Ana: Alice's sister"), read from the memories that say it. Without it a
 * model shown "Ana started a new job" cannot tell that it answers "what about my sister?".
 */
const LOOKUP = 30;
const MAX_LINES = 5;

interface Link {
  name: string;
  owner: string;
  relation: string;
}

async function linksSaying(ctx: EngineContext, user: string, word: string, now: string): Promise<Link[]> {
  const hits = await ctx.engram.search(word, { user, k: LOOKUP, now, reinforce: false, mode: 'bm25' });
  const out: Link[] = [];
  for (const h of hits) {
    // Only first-person words link a relation to a name ("my dog Max"); a fact is in the third person.
    const speaker = h.memory.role === 'assistant' || h.kind === 'fact' ? null : h.speaker;
    if (!speaker) continue;
    for (const e of recognizeEntities(h.text, { speaker })) {
      if (!e.alias) continue;
      const relation = e.alias.split(':').slice(2).join(':').replace(/-/g, ' ');
      out.push({ name: e.name, owner: speaker, relation });
    }
  }
  return out;
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

export async function whoIsWho(
  ctx: EngineContext,
  user: string,
  query: string,
  now: string,
): Promise<string[]> {
  const lines: string[] = [];
  const add = (l: Link) => {
    const line = `${l.name}: ${possessive(l.owner)} ${l.relation}`;
    if (!lines.includes(line) && lines.length < MAX_LINES) lines.push(line);
  };
  for (const ref of kinReferences(query)) {
    const links = await linksSaying(ctx, user, ref.relation, now);
    for (const l of links) {
      const ownerOk = ref.owner === null || l.owner.toLowerCase().split(/\s+/)[0] === ref.owner.toLowerCase();
      if (ownerOk && l.relation === ref.relation) add(l);
    }
  }
  for (const name of extractNames(query)) {
    const links = await linksSaying(ctx, user, name, now);
    for (const l of links) if (l.name === name || l.name.split(' ')[0] === name) add(l);
  }
  return lines;
}
